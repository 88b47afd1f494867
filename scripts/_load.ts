import { runLoad } from "./lib/load";
const url = process.argv[2]!;
const r = await runLoad({
  url,
  connections: 16,
  seconds: 6,
  body: (i) =>
    JSON.stringify({ code: 200, msg: "success", data: { taskId: `p${Date.now()}x${i}`, images: ["https://a/0.png", "https://a/1.png"] } }),
});
console.log(r.rps.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), r.errors, JSON.stringify(r.statuses));
