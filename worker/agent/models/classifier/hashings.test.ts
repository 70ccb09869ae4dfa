// Urgency averages models over several hashings of the same features
// (features.ts `bucketVector` with a seed, classifier.ts `RehashedFile`). These pin
// what that relies on: seed 0 is the plain hashing every other head reads, a
// seed moves features into other buckets, and a head's scores are the mean of
// its members'.
import { describe, expect, it } from "vitest";
import { classifierFrom, type RehashedFile, type WeightsFile } from "./classifier";
import { BUCKETS, bucketize, featureList, featurize } from "./features";
import rehashed from "./weights-rehashed.json";

const TEXT = "Nobody on our team can log in since 9am, the whole support floor is waiting. Please help!";

describe("hashings", () => {
  it("reads the plain hashing as seed 0", () => {
    expect([...bucketize(featureList(TEXT), 0)]).toEqual([...featurize(TEXT)]);
  });

  it("puts the same features in other buckets under another seed, still a unit vector", () => {
    const plain = featurize(TEXT);
    const other = bucketize(featureList(TEXT), 1);
    const shared = [...other.keys()].filter((k) => plain.has(k)).length;
    // Hundreds of features over 16,384 buckets: by chance a few share a bucket number, not most.
    expect(shared).toBeLessThan(plain.size / 10);
    expect(Math.abs(other.size - plain.size)).toBeLessThan(plain.size / 20);
    const norm = Math.sqrt([...other.values()].reduce((a, v) => a + v * v, 0));
    expect(norm).toBeCloseTo(1, 9);
  });

  it("ships urgency as four models over distinct hashings, the other fields as one", () => {
    const file = rehashed as RehashedFile;
    expect(file.urgency?.map((m) => m.seed)).toEqual([1, 2, 3]);
    expect(Object.keys(file)).toEqual(["urgency"]);
  });
});

describe("a head over several hashings", () => {
  // A file whose weights are all zero, so only the biases decide: the label is the arg-max of the members' mean bias.
  const zeros = (labels: number) => btoa("\0".repeat(labels * BUCKETS));
  const head = (labels: string[], bias: number[]) => ({ labels, weights: zeros(labels.length), scale: 1, bias, temperature: 1 });
  const member = (seed: number, bias: number[]) => ({ seed, weights: zeros(bias.length), scale: 1, bias });
  const file = (urgency: ReturnType<typeof head>): WeightsFile => ({
    buckets: BUCKETS,
    heads: {
      category: head(["general"], [0]),
      urgency,
      sentiment: head(["neutral"], [0]),
      intent: head(["question"], [0]),
      anger: { ...head(["no", "yes"], [0, -5]), threshold: 0.5 },
      legal_threat: { ...head(["no", "yes"], [0, -5]), threshold: 0.5 },
      human_request: { ...head(["no", "yes"], [0, -5]), threshold: 0.5 },
    },
  });
  const LEVELS = ["low", "normal", "high", "urgent"];

  it("scores with the mean of its members", () => {
    const alone = classifierFrom(file(head(LEVELS, [0, 0, 0, 4]))).read("Hi", TEXT);
    expect(alone.urgency.label).toBe("urgent");
    // Mean bias [0, 3, 0, 2]: normal, with the softmax of those means as confidence.
    const averaged = classifierFrom(file(head(LEVELS, [0, 0, 0, 4])), { urgency: [member(5, [0, 6, 0, 0])] }).read("Hi", TEXT);
    expect(averaged.urgency.label).toBe("normal");
    const e = [0, 3, 0, 2].map(Math.exp);
    expect(averaged.urgency.confidence).toBeCloseTo(e[1]! / e.reduce((a, b) => a + b, 0), 3);
  });

  it("refuses a member whose weights do not fit the labels", () => {
    const broken = { ...member(1, [0, 0, 0, 0]), weights: btoa("\0".repeat(3 * BUCKETS)) };
    expect(() => classifierFrom(file(head(LEVELS, [0, 0, 0, 0])), { urgency: [broken] })).toThrow(/do not match their labels/);
  });
});
