-- POST /v1/datasets/upload with a small JSON body (8 rows x 4 columns,
-- ~0.5 KiB), the same bytes on every request. Each request inserts a row.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "report"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"name":"bench","rows":[
{"id":1,"city":"Lyon","score":3.5,"active":true},
{"id":2,"city":"Oslo","score":4.0,"active":false},
{"id":3,"city":"Kyiv","score":2.25,"active":true},
{"id":4,"city":"Lima","score":5.0,"active":true},
{"id":5,"city":"Pune","score":1.75,"active":false},
{"id":6,"city":"Rome","score":4.5,"active":true},
{"id":7,"city":"Faro","score":3.0,"active":false},
{"id":8,"city":"Baku","score":2.5,"active":true}]}]]
