import { z } from "zod";
import { operation } from "@/lib/server/operation";

const TAG = "Login";
const backTo = (description: string) => ({ 303: { description, headers: { Location: "Where the browser goes next." } } });

export const login = operation({
  method: "POST",
  path: "/api/auth/login",
  id: "login",
  tag: TAG,
  summary: "The login form (a plain HTML form post)",
  description:
    "Starts a session cookie when the password is right. After 5 wrong passwords (or tokens) from one address, tries wait 30 s, doubling up to 15 min; the answer then goes to /login?error=rate with Retry-After.",
  access: "public",
  rawBody: {
    media: "application/x-www-form-urlencoded",
    description: "`password`, and `next`: the page to return to.",
    examples: { form: { password: "…", next: "/setup" } },
  },
  answers: backTo("To `next` (logged in), or back to /login with the reason."),
});

export const logout = operation({
  method: "POST",
  path: "/api/auth/logout",
  id: "logout",
  tag: TAG,
  summary: "End this session, or with ?everywhere=1 every session",
  description: "Ending every session takes a logged-in browser (an API token cannot).",
  access: "public",
  query: z.object({ everywhere: z.string().optional().meta({ description: "`1`: end every session." }) }),
  answers: backTo("To /login, the session cookie cleared."),
  errors: { 401: ["unauthorized"] },
});
