-- wrk script: an authenticated GET of the URL given on the command line. The key comes from the
-- environment (LNS_KEY), never from the command line, so it stays out of `ps`.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("LNS_KEY")
