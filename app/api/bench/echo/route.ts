// The framework's own ceiling for `npm run bench`: a route that only reads the
// body and answers 200. Absent (404) unless the server runs with BENCH_ENDPOINTS=1.
export async function POST(request: Request) {
  if (process.env.BENCH_ENDPOINTS !== "1") return new Response(null, { status: 404 });
  await request.text();
  return Response.json({ status: "received" });
}
