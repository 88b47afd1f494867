// The task list as CSV (RFC 4180: CRLF line ends, fields holding a comma,
// quote, CR or LF quoted, quotes doubled; null as an empty field), read a page
// at a time through the list's keyset cursor. Text a spreadsheet would run as
// a formula (provider messages, task ids) is neutralised unless asked for raw.
import "server-only";
import { listTasks, type TaskFilter, type TaskListItem } from "@/db/queries/tasks";

export type ExportFilter = Pick<TaskFilter, "kind" | "status" | "q" | "from" | "to">;

const PAGE_SIZE = 200;

/** The columns, in order: the task as the API shows it, then its files. */
export const CSV_COLUMNS = [
  "taskId",
  "kind",
  "status",
  "stage",
  "code",
  "message",
  "parentTaskId",
  "audioId",
  "createdAt",
  "updatedAt",
  "completedAt",
  "lastSource",
  "deliveryCount",
  "pollCount",
  "lastPolledAt",
  "filesExpireAt",
  "assetsTotal",
  "assetsStored",
  "assetsFailed",
  "bytes",
] as const satisfies readonly (keyof TaskListItem)[];

export type CsvOptions = {
  /** Every text exactly as stored, for round trips; else formula-like text is neutralised. */
  raw: boolean;
};

/** What a spreadsheet takes for the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field, quoted when it must be. Text starting like a formula gets a
 * leading `'` (OWASP's advice), which spreadsheets show as text; numbers are
 * never formulas and stay as they are.
 */
export function csvField(value: string | number | null, { raw }: CsvOptions): string {
  if (value === null) return "";
  const text = typeof value === "string" && !raw && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (fields: (string | number | null)[], options: CsvOptions) =>
  `${fields.map((field) => csvField(field, options)).join(",")}\r\n`;

/** Every task matching `filter` below the keyset cursor `bound`, newest first, a page per query. */
export async function* matchingTasks(filter: ExportFilter, bound?: number): AsyncGenerator<TaskListItem> {
  let cursor = bound;
  for (;;) {
    const page = await listTasks({ ...filter, cursor, limit: PAGE_SIZE });
    yield* page.items;
    if (!page.nextCursor) return;
    cursor = Number(page.nextCursor);
  }
}

/** The CSV text: the header, then a chunk of lines per page of tasks. */
export async function* tasksCsvLines(filter: ExportFilter, options: CsvOptions, bound?: number): AsyncGenerator<string> {
  yield csvLine([...CSV_COLUMNS], options);
  let chunk = "";
  let rows = 0;
  for await (const task of matchingTasks(filter, bound)) {
    chunk += csvLine(
      CSV_COLUMNS.map((column) => task[column]),
      options,
    );
    if (++rows % PAGE_SIZE === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/** GET /api/export/tasks.csv: streamed, pulled a chunk at a time; a cancelled download stops the queries. */
export function tasksCsvResponse(filter: ExportFilter, options: CsvOptions): Response {
  const lines = tasksCsvLines(filter, options);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await lines.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      },
      async cancel() {
        await lines.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="tasks.csv"',
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
