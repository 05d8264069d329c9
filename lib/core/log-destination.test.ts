import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { batchedDestination } from "./log-destination";

test("lines wait for a batch, come out whole and in order, and nothing is left behind at close", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wharf-logdest-")), "out.log");
  const fd = fs.openSync(file, "w");
  const dest = batchedDestination(fd);
  dest.write('{"n":1}\n');
  dest.write('{"n":2}\n');
  assert.equal(fs.readFileSync(file, "utf8"), "", "small lines wait for the batch");
  const big = `{"pad":"${"x".repeat(20_000)}"}\n`;
  dest.write(big);
  assert.equal(fs.readFileSync(file, "utf8"), `{"n":1}\n{"n":2}\n${big}`, "a full batch is written at once");
  dest.write('{"n":3}\n');
  dest.close();
  assert.equal(fs.readFileSync(file, "utf8"), `{"n":1}\n{"n":2}\n${big}{"n":3}\n`);
  fs.closeSync(fd);
});

test("a waiting line is written within the batch delay without further writes", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wharf-logdest-")), "out.log");
  const fd = fs.openSync(file, "w");
  const dest = batchedDestination(fd);
  dest.write('{"alone":true}\n');
  // Poll: the timer is unref'd and fires after about 100 ms.
  const deadline = Date.now() + 5_000;
  while (fs.readFileSync(file, "utf8") === "" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(fs.readFileSync(file, "utf8"), '{"alone":true}\n');
  dest.close();
  fs.closeSync(fd);
});
