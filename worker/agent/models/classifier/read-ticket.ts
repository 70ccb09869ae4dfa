// The classifier with the weights the Worker ships (bundled JSON).
import { classifierFrom, type TriageReading, type WeightsFile } from "./classifier";
import weights from "./weights.json";

let classifier: ReturnType<typeof classifierFrom> | null = null;

/** Category, urgency, sentiment and intent of a ticket, each with a calibrated confidence. */
export function readTicket(subject: string, body: string): TriageReading {
  classifier ??= classifierFrom(weights as WeightsFile);
  return classifier.read(subject, body);
}
