import { openApiShape } from "@/lib/server/api-shapes";
import { operation } from "@/lib/server/operation";

export const getOpenApi = operation({
  method: "GET",
  path: "/api/openapi.json",
  id: "getOpenApi",
  tag: "Operations",
  summary: "This document: the OpenAPI 3.1 description of every route",
  access: "public",
  answers: { 200: { description: "The document.", json: openApiShape } },
});
