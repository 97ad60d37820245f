-- One client flooding Rostra with writes: comments, votes and reports in turn, all from one
-- address (X-Forwarded-For; the server trusts it in this benchmark). Counts answers by status.
local site = os.getenv("FLOOD_SITE") or "flood"
local page = os.getenv("FLOOD_PAGE") or "http://127.0.0.1:18390/article"
local target = os.getenv("FLOOD_TARGET") or "1"
local headers = {
  ["Content-Type"] = "application/json",
  ["X-Forwarded-For"] = "203.0.113.7",
}
local n = 0
c2xx, c429, cother, last_other = 0, 0, 0, 0

request = function()
  n = n + 1
  local k = n % 3
  if k == 0 then
    local body = string.format('{"site":"%s","url":"%s","body":"Flood comment %d"}', site, page, n)
    return wrk.format("POST", "/api/comments", headers, body)
  elseif k == 1 then
    return wrk.format("POST", "/api/comments/" .. target .. "/vote", headers, '{"value":1}')
  end
  return wrk.format("POST", "/api/comments/" .. target .. "/report", headers, '{"reason":"spam"}')
end

response = function(status, headers, body)
  if status >= 200 and status < 300 then
    c2xx = c2xx + 1
  elseif status == 429 then
    c429 = c429 + 1
  else
    cother = cother + 1
    last_other = status
  end
end

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local a, b, c, last = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("c2xx")
    b = b + t:get("c429")
    c = c + t:get("cother")
    if t:get("last_other") ~= 0 then
      last = t:get("last_other")
    end
  end
  io.write(string.format("flood answers: 2xx %d, 429 %d, other %d (last: %d)\n", a, b, c, last))
end
