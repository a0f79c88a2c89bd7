-- claim_complete.lua — the review station's work: each wrk thread (one connection each) is
-- one operator, logged in as review<tid>; it claims the next application at review, completes
-- it (on to approval), and claims again. A request is one claim or one complete.
--
-- Environment: JY_BENCH, JY_COOKIES and JY_CSRFS (space-separated, one per operator, in
-- order: "jy_session=…").
dofile(os.getenv("JY_BENCH") .. "/wrk/common.lua")

local function word(list, n)
   local i = 0
   for w in string.gmatch(list, "%S+") do
      i = i + 1
      if i == n then
         return w
      end
   end
   return nil
end

function init(args)
   cookie = word(os.getenv("JY_COOKIES"), tid)
   csrf = word(os.getenv("JY_CSRFS"), tid)
   number = nil
end

function request()
   local headers = {["Content-Type"] = "application/json", ["Cookie"] = cookie,
                    ["X-CSRF-Token"] = csrf}
   if number then
      return wrk.format("POST", "/api/v1/applications/" .. number .. "/complete", headers,
                        '{"station":"review"}')
   end
   return wrk.format("POST", "/api/v1/stations/review/claim", headers, "")
end

function response(status, headers, body)
   if number then
      number = nil -- completed (or refused): claim the next one
   elseif status == 200 then
      number = string.match(body, '"number":"([^"]+)"')
   end
end
