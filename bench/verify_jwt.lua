-- wrk script: GET /api/v1/auth/verify-jwt with one access token on every request.
--   BENCH_ACCESS_TOKEN=<jwt> wrk -t2 -c64 -d10s --latency -s bench/verify_jwt.lua http://127.0.0.1:PORT
-- The request is static (built once per thread), so wrk's own cost per request stays minimal; wrk
-- counts non-2xx answers itself ("Non-2xx or 3xx responses").

local token = os.getenv("BENCH_ACCESS_TOKEN")
if token == nil or token == "" then
  io.stderr:write("verify_jwt.lua: set BENCH_ACCESS_TOKEN to an access token\n")
  os.exit(2)
end

wrk.method = "GET"
wrk.path = "/api/v1/auth/verify-jwt"
wrk.headers["Authorization"] = "Bearer " .. token
