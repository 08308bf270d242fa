-- wrk script: upserts one secret (a new version each time), 64-byte value, key from LNS_KEY.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LNS_KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"key":"load/written","value":"' .. string.rep("w", 64) .. '"}'
