// The framework's own ceiling: reads the body and answers as the callback route
// does, nothing else. Plain JavaScript: without TypeScript this one-route app
// needs no tsconfig of its own, and Next.js then builds it apart from the
// dashboard (with one, Turbopack also compiled the dashboard's proxy.ts).
/** @param {Request} request */
export async function POST(request) {
  await request.text();
  return Response.json({ status: "received" });
}
