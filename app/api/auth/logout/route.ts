import { NextResponse } from "next/server";
import { sessionCookie } from "@/lib/auth/session";

/** Ends the session: the cookie is cleared and the browser sent to the login page. */
export async function POST(request: Request) {
  const response = new NextResponse(null, { status: 303, headers: { location: "/login" } });
  response.cookies.set(sessionCookie("", request, 0));
  return response;
}
