import assert from "node:assert/strict";
import { test } from "node:test";
import { renderToStaticMarkup } from "react-dom/server";
import { DEFAULT_SKUS, SKU_NAMES } from "../../../../lib/core/skus";
import { SkuPicker } from "./sku-picker";

const skus = SKU_NAMES.map((name) => ({ name, limits: DEFAULT_SKUS[name] }));
const html = renderToStaticMarkup(<SkuPicker skus={skus} value="Premium" onChange={() => {}} />);

test("SKU cards advertise only features Wharf has", () => {
  for (const absent of ["Replications", "Content trust", "Customer-managed key"]) assert.doesNotMatch(html, new RegExp(absent), absent);
});

test("SKU cards keep the features Wharf has, webhooks included", () => {
  assert.match(html, /Anonymous pull/);
  assert.match(html, /Network rules/);
  assert.match(html, /Webhooks/);
});
