// Unknown API paths answer in the API's own error shape, not with an HTML page.
import { errorJson } from "@/lib/server/route";

const notFound = (request: Request) => errorJson(404, "not_found", `No API route at ${new URL(request.url).pathname}.`);

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
