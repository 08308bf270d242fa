/**
 * How API keys are made and stored in the server's key table: generation and hashing in one place,
 * for the server and for the CLI's break-glass key creation on the host.
 */
package com.lanonasis.secrets.apikey;
