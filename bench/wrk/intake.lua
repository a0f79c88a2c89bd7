-- intake.lua — durable intakes over HTTP: every request posts a valid, distinct D01 (licence
-- replacement) application — its own resident ID number with the right check character, its
-- own name, its own Idempotency-Key — as the logged-in clerk (session cookie + X-CSRF-Token).
--
-- Environment: JY_BENCH (the bench directory), JY_COOKIE ("jy_session=…"), JY_CSRF, JY_RUN (a
-- word that keeps keys and ID numbers of different runs apart: a number 0..99).
dofile(os.getenv("JY_BENCH") .. "/wrk/common.lua")

local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = {"1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"}
local given = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
               "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏",
               "辉", "建", "文", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙",
               "林", "欢", "阳", "佳", "琳", "晨", "瑶", "雪"}
local counter = 0

-- GB 11643-1999: 17 digits and the MOD 11-2 check character.
local function id_number(k)
   local date_index = k % 13440
   local year = 1960 + date_index % 40
   local month = 1 + math.floor(date_index / 40) % 12
   local day = 1 + math.floor(date_index / 480) % 28
   local seq = math.floor(k / 13440) % 1000
   local body = string.format("420106%04d%02d%02d%03d", year, month, day, seq)
   local sum = 0
   for i = 1, 17 do
      sum = sum + tonumber(body:sub(i, i)) * weights[i]
   end
   return body .. checks[sum % 11 + 1]
end

function init(args)
   run = tonumber(os.getenv("JY_RUN") or "0")
   cookie = os.getenv("JY_COOKIE")
   csrf = os.getenv("JY_CSRF")
end

function request()
   counter = counter + 1
   local k = run * 10000000 + tid * 100000 + counter
   local id = id_number(k)
   local name = "张" .. given[k % 50 + 1] .. given[math.floor(k / 50) % 50 + 1]
   local body = '{"business_type":"D01","applicant":{"name":"' .. name ..
      '","id_type":"resident_id","id_number":"' .. id .. '","mobile":"13800138000"},' ..
      '"licence":{"number":"' .. id .. '","class":"C1"},' ..
      '"delivery":{"recipient":"' .. name .. '","mobile":"13800138000",' ..
      '"address":"湖北省武汉市武昌区彭刘杨路' .. (k % 300 + 1) .. '号","postcode":"430060"},' ..
      '"documents":["id_card","photo","application_form","loss_statement"]}'
   local headers = {
      ["Content-Type"] = "application/json",
      ["Cookie"] = cookie,
      ["X-CSRF-Token"] = csrf,
      ["Idempotency-Key"] = "bench-" .. run .. "-" .. tid .. "-" .. counter,
   }
   return wrk.format("POST", "/api/v1/applications", headers, body)
end
