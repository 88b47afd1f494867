// Runs once when the server starts: validate configuration, open and migrate
// the database, make sure a callback token exists, start the background worker.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server/startup");
  await startServer();
}
