// The classifier with the weights the Worker ships (bundled JSON).
import { classifierFrom, type HardStopReading, type RehashedFile, type TriageReading, type WeightsFile } from "./classifier";
import weights from "./weights.json";
import rehashed from "./weights-rehashed.json";

let classifier: ReturnType<typeof classifierFrom> | null = null;

/** Category, urgency, sentiment and intent of a ticket, each with a calibrated confidence. */
export function readTicket(subject: string, body: string): TriageReading {
  classifier ??= classifierFrom(weights as WeightsFile, rehashed as RehashedFile);
  return classifier.read(subject, body);
}

/** The hard stops the classifier reads in a ticket (anger, legal threat, a request for a human). */
export function readHardStops(subject: string, body: string): HardStopReading[] {
  classifier ??= classifierFrom(weights as WeightsFile, rehashed as RehashedFile);
  return classifier.hardStops(subject, body);
}
