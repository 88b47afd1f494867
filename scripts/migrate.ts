// `npm run db:migrate`: apply pending migrations to DATABASE_URL (the server also does this on start).
import nextEnv from "@next/env";
nextEnv.loadEnvConfig(process.cwd());
const { closeDatabase, databaseLocation, openDatabase } = await import("../db/client");
await openDatabase();
console.log(`Database is up to date: ${databaseLocation()}`);
await closeDatabase();
