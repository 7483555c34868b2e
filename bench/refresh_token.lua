-- wrk script: refresh-token rotation. Every request presents a refresh token that was never used
-- before: rotation consumes it, and a reuse would be taken as theft and end the session.
--
--   wrk -t2 -c32 -d10s --latency -s bench/refresh_token.lua URL -- TOKENS_FILE THREADS
--
-- TOKENS_FILE holds fresh refresh tokens, one per line (bench/run logs in that many times); thread k
-- of THREADS takes lines k, k+THREADS, ... (arguments may also come from BENCH_REFRESH_TOKENS_FILE and
-- BENCH_THREADS). Give at least as many tokens as connections; spares absorb failed requests.
--
-- wrk's Lua callbacks do not say which connection a request or response belongs to, so each thread
-- keeps a FIFO pool of unused tokens: request() takes one, response() parses the successor
-- ("refresh_token":"...") out of a 200 body and puts it back. A connection has at most one request
-- in flight, so with tokens >= connections every in-flight request holds its own token, exactly as
-- if each connection kept its own. A non-200 answer yields no successor, so its token leaves the
-- pool; if the pool is ever empty, the request goes out without Authorization and is counted as
-- pool_empty (the server answers 401). wrk also calls request() once before the run to check the
-- script (thread 1 only, never sent), so one seed token goes unused.
--
-- done() prints one summary line that bench/run parses:
--   refresh: ok200=N other=N pool_empty=N statuses=200:N,401:N,...

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local pool = {}        -- FIFO of unused refresh tokens: pool[head .. tail]
local head, tail = 1, 0
ok200, other, pool_empty = 0, 0, 0
statuses = ""          -- "code=count;" pairs, read back by done() through thread:get
local status_counts = {}

local function push(token)
  tail = tail + 1
  pool[tail] = token
end

local function pop()
  if head > tail then return nil end
  local token = pool[head]
  pool[head] = nil
  head = head + 1
  return token
end

function init(args)
  local file = args[1] or os.getenv("BENCH_REFRESH_TOKENS_FILE")
  local nthreads = tonumber(args[2] or os.getenv("BENCH_THREADS") or "1")
  if file == nil or file == "" then
    io.stderr:write("refresh_token.lua: pass TOKENS_FILE after -- (or set BENCH_REFRESH_TOKENS_FILE)\n")
    os.exit(2)
  end
  local f, err = io.open(file, "r")
  if f == nil then
    io.stderr:write("refresh_token.lua: " .. tostring(err) .. "\n")
    os.exit(2)
  end
  local line_no = 0
  for line in f:lines() do
    line = line:gsub("%s+$", "")
    if line ~= "" then
      line_no = line_no + 1
      if (line_no - 1) % nthreads == id - 1 then push(line) end
    end
  end
  f:close()
  if tail == 0 then
    io.stderr:write("refresh_token.lua: thread " .. id .. " got no token from " .. file .. "\n")
    os.exit(2)
  end
end

local path = "/api/v1/auth/refresh-token"

function request()
  local token = pop()
  local headers = {}
  if token then
    headers["Authorization"] = "Bearer " .. token
  else
    pool_empty = pool_empty + 1
  end
  return wrk.format("POST", path, headers, "")
end

function response(status, headers, body)
  status_counts[status] = (status_counts[status] or 0) + 1
  local parts = {}
  for code, count in pairs(status_counts) do parts[#parts + 1] = code .. "=" .. count end
  statuses = table.concat(parts, ";")
  if status == 200 then
    local token = body and body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if token then
      ok200 = ok200 + 1
      push(token)
      return
    end
  end
  other = other + 1
end

function done(summary, latency, requests)
  local total_ok, total_other, total_empty = 0, 0, 0
  local merged = {}
  for _, t in ipairs(threads) do
    total_ok = total_ok + (t:get("ok200") or 0)
    total_other = total_other + (t:get("other") or 0)
    total_empty = total_empty + (t:get("pool_empty") or 0)
    for code, count in string.gmatch(t:get("statuses") or "", "(%d+)=(%d+)") do
      merged[code] = (merged[code] or 0) + tonumber(count)
    end
  end
  local codes = {}
  for code in pairs(merged) do codes[#codes + 1] = code end
  table.sort(codes)
  local parts = {}
  for _, code in ipairs(codes) do parts[#parts + 1] = code .. ":" .. merged[code] end
  io.write(string.format("refresh: ok200=%d other=%d pool_empty=%d statuses=%s\n",
    total_ok, total_other, total_empty, table.concat(parts, ",")))
end
