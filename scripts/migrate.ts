// `npm run db:migrate`: apply pending migrations to DATABASE_URL (the server also does this on start).
import nextEnv from "@next/env";
nextEnv.loadEnvConfig(process.cwd());
const { databaseFile, getDb } = await import("../db/client");
getDb();
console.log(`Database is up to date: ${databaseFile()}`);
