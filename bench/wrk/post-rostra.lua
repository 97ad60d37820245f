-- POST a new top-level comment to Rostra's /post-bench thread (JSON, no Origin header, like a
-- script would), and remember the id of every comment Rostra acknowledged with 201 Created.
-- Every body is different text (~190 characters, one *emphasis*): words drawn at random, so
-- that Rostra's near-duplicate check (SimHash of word trigrams) lets them through as it would
-- distinct comments from real readers.
-- At the end, prints the status tally and appends the acknowledged ids to $ROSTRA_ACK_FILE, so
-- the durability check can look each one up in the database.
--   env: ROSTRA_SITE (bench), ROSTRA_POST_URL (http://127.0.0.1:18090/post-bench), ROSTRA_ACK_FILE
local site = os.getenv("ROSTRA_SITE") or "bench"
local page = os.getenv("ROSTRA_POST_URL") or "http://127.0.0.1:18090/post-bench"
local headers = { ["Content-Type"] = "application/json" }

-- a different random sequence in every wrk run (LuaJIT's generator starts from a fixed seed)
local seed = os.time()
local f = io.open("/dev/urandom", "rb")
if f then
  local b = f:read(4)
  f:close()
  seed = seed + b:byte(1) + b:byte(2) * 256 + b:byte(3) * 65536 + b:byte(4) * 16777216
end
math.randomseed(seed % 2147483647)

local words = {
  "the", "council", "vote", "budget", "school", "river", "bridge", "road", "market", "price",
  "winter", "summer", "train", "station", "park", "library", "museum", "garden", "coffee", "bread",
  "music", "festival", "report", "article", "author", "reader", "question", "answer", "reason", "idea",
  "plan", "city", "village", "harbour", "island", "mountain", "forest", "weather", "rain", "snow",
  "energy", "water", "housing", "rent", "street", "bicycle", "tram", "ferry", "airport", "hospital",
  "doctor", "teacher", "student", "parent", "family", "neighbour", "friend", "history", "future", "season",
  "match", "team", "coach", "goal", "league", "election", "mayor", "policy", "tax", "law",
  "court", "judge", "story", "photo", "video", "interview", "data", "survey", "study", "science",
  "clearly", "really", "perhaps", "again", "today", "yesterday", "tomorrow", "often", "rarely", "always",
  "good", "bad", "new", "old", "big", "small", "late", "early", "fair", "odd",
}
local n = 0
local function sentence()
  local t, len = {}, 0
  while len < 150 do
    local w = words[math.random(#words)]
    t[#t + 1] = w
    len = len + #w + 1
  end
  local k = math.random(3, #t - 1)
  t[k] = "*" .. t[k] .. "*"
  return table.concat(t, " ")
end

created = 0    -- per-thread globals, read by done() through thread:get
published = 0
other = 0
ids = {}

request = function()
  n = n + 1
  local body = string.format('{"site":"%s","url":"%s","title":"Post bench","author_name":"bench%d","author_email":"bench%d@example.com","body":"Bench %d: %s."}', site, page, n % 37, n % 37, n, sentence())
  return wrk.format("POST", "/api/comments", headers, body)
end

response = function(status, hdrs, body)
  if status == 201 then
    created = created + 1
    -- the comment object comes first in the answer: its id and status are the first ones
    ids[#ids + 1] = body:match('"id":(%d+)') or "?"
    if body:match('"status":"(%a+)"') == "published" then published = published + 1 end
  else
    other = other + 1
  end
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local c, p, o, all = 0, 0, 0, {}
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    p = p + t:get("published")
    o = o + t:get("other")
    for _, id in ipairs(t:get("ids")) do all[#all + 1] = id end
  end
  io.write(string.format("rostra-post: 201=%d published=%d other=%d\n", c, p, o))
  local path = os.getenv("ROSTRA_ACK_FILE")
  if path and path ~= "" then
    local out = assert(io.open(path, "a"))
    out:write(table.concat(all, "\n"))
    if #all > 0 then out:write("\n") end
    out:close()
  end
end
