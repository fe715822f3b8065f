import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_TEST_URL, postgresAvailable } from "../testing/postgres-test-db.js";
import { inline } from "./postgres-batch-sql.js";

const TRICKY = [
  "plain",
  "it's",
  'say "hi"',
  "back\\slash",
  "\\\"'",
  "{a,b}",
  "NULL",
  "",
  " spaced ",
  "ünï ☃",
  "$1",
];

describe.skipIf(!(await postgresAvailable()))("inline (PostgreSQL)", () => {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("turns every value, array element and NULL into a literal PostgreSQL reads back unchanged", async () => {
    const text = inline("SELECT $1::text AS one, $2::text[] AS many, $3::int8[] AS ints, $4::text AS none", [
      "it's $2",
      [...TRICKY, null],
      ["9007199254740993", null, "-5"],
      null,
    ]);
    const [row] = (await client.query(text)).rows;
    expect(row).toEqual({
      one: "it's $2",
      many: [...TRICKY, null],
      ints: ["9007199254740993", null, "-5"],
      none: null,
    });
  });

  it("keeps an injection attempt a plain value", async () => {
    const evil = "x'); DROP TABLE nothing; --";
    const [row] = (await client.query(inline("SELECT $1::text AS v, $2::text[] AS a", [evil, [evil]]))).rows;
    expect(row).toEqual({ v: evil, a: [evil] });
  });
});
