-- wrk script: POST /api/v1/auth/login with one JSON body on every request (each login costs one
-- Argon2id verify on the server).
--   BENCH_LOGIN_BODY='{"email":...,"password":...}' wrk -t2 -c16 -d10s --latency -s bench/login.lua URL

wrk.method = "POST"
wrk.path = "/api/v1/auth/login"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_LOGIN_BODY") or
  '{"email":"bench@example.com","password":"bench-password-1"}'
