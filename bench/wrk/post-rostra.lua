-- POST a new top-level comment to Rostra's /post-bench thread (JSON, no Origin header, like a
-- script would), and remember the id of every comment Rostra acknowledged with 201 Created.
-- At the end, prints the status tally and appends the acknowledged ids to $ROSTRA_ACK_FILE, so
-- the durability check can look each one up in the database.
--   env: ROSTRA_SITE (bench), ROSTRA_POST_URL (http://127.0.0.1:18090/post-bench), ROSTRA_ACK_FILE
local site = os.getenv("ROSTRA_SITE") or "bench"
local page = os.getenv("ROSTRA_POST_URL") or "http://127.0.0.1:18090/post-bench"
local n = 0
local salt = tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000))
local headers = { ["Content-Type"] = "application/json" }

created = 0    -- per-thread globals, read by done() through thread:get
other = 0
ids = {}

request = function()
  n = n + 1
  local body = string.format('{"site":"%s","url":"%s","title":"Post bench","author_name":"bench%d","author_email":"bench%d@example.com","body":"Bench comment %s-%d. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do *eiusmod* tempor incididunt ut labore et dolore magna aliqua."}', site, page, n % 37, n % 37, salt, n)
  return wrk.format("POST", "/api/comments", headers, body)
end

response = function(status, hdrs, body)
  if status == 201 then
    created = created + 1
    -- {"comment":{"id":123,...}: the first "id" is the new comment's
    ids[#ids + 1] = body:match('"id":(%d+)') or "?"
  else
    other = other + 1
  end
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local c, o, all = 0, 0, {}
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
    for _, id in ipairs(t:get("ids")) do all[#all + 1] = id end
  end
  io.write(string.format("rostra-post: 201=%d other=%d\n", c, o))
  local path = os.getenv("ROSTRA_ACK_FILE")
  if path and path ~= "" then
    local f = assert(io.open(path, "a"))
    f:write(table.concat(all, "\n"))
    if #all > 0 then f:write("\n") end
    f:close()
  end
end
