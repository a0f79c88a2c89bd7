-- track.lua — public tracking lookups (GET /api/v1/track/{number}?id_last4=…) of applications
-- the intake runs created, round-robin over a list.
--
-- Environment: JY_BENCH, JY_TRACK (a file of lines "NUMBER LAST4").
dofile(os.getenv("JY_BENCH") .. "/wrk/common.lua")

function init(args)
   paths = {}
   for line in io.lines(os.getenv("JY_TRACK")) do
      local number, last4 = string.match(line, "(%S+)%s+(%S+)")
      if number then
         table.insert(paths, "/api/v1/track/" .. number .. "?id_last4=" .. last4)
      end
   end
   i = tid * 7919
end

function request()
   i = i + 1
   return wrk.format("GET", paths[i % #paths + 1])
end
