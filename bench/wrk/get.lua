-- GET of the URL given to wrk (run.sh passes /v1/datasets/<seeded id>).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
require "report"
