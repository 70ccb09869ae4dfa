// The end of a business e-mail that is not the customer's message: closings
// with the signature under them in every supported language, confidentiality
// disclaimers, company details and phone footers are cut by intake's reading
// of a body (bodyText), and what the customer wrote is kept, thanks included.
// Triage then reads the same ticket with or without them.
import { describe, expect, it } from "vitest";
import { readHardStops, readTicket } from "../../agent/models/classifier/read-ticket";
import { detectLanguage } from "../../agent/models/language";
import { bodyText } from "./inbound";

const plain = (text: string) => bodyText(text, false);

const MESSAGE = "Hallo,\n\nseit heute Morgen kann sich niemand in unserem Team anmelden, die Seite lädt endlos.\nKönnen Sie das bitte prüfen?";

describe("closings and signatures", () => {
  it.each([
    ["en", "Kind regards,\nDana Whitfield\nIT, Ostrander Home Goods\n+44 20 7946 0958"],
    ["de", "Mit freundlichen Grüßen\nJohann Müller\nLeitung Betrieb | Acme GmbH\nTel. +49 30 1234567"],
    ["es", "Saludos cordiales,\nJuan Martínez\nDirector de Operaciones | Acme S.L."],
    ["pt", "Atenciosamente,\nJoão Silva\nGerente de Operações | Acme Ltda."],
    ["it", "Cordiali saluti,\nGiovanni Rossi\nResponsabile Operazioni | Acme S.r.l."],
    ["nl", "Met vriendelijke groet,\nJan de Vries\nHoofd Operations | Acme B.V."],
    ["pl", "Z poważaniem,\nJan Kowalski\nKierownik Operacyjny | Acme Sp. z o.o."],
  ])("cuts a %s closing with the signature under it", (_, signature) => {
    expect(plain(`${MESSAGE}\n\n${signature}`)).toBe(MESSAGE);
  });

  it.each(["Enviado do meu iPhone", "Inviato da iPhone", "Wysłane z iPhone'a", "Verstuurd vanaf mijn Samsung Galaxy"])("cuts the phone footer %s", (footer) => {
    expect(plain(`${MESSAGE}\n\n${footer}`)).toBe(MESSAGE);
  });

  it("cuts a short thanks with a name under it, and a farewell and a name on one line", () => {
    expect(plain(`${MESSAGE}\n\nVielen Dank\nPetra Lindner, Buchhaltung`)).toBe(MESSAGE);
    expect(plain(`${MESSAGE}\n\nLG Tom`)).toBe(MESSAGE);
    expect(plain(`${MESSAGE}\n\nPozdrawiam, Kasia`)).toBe(MESSAGE);
  });

  it("cuts a signature without a closing: a paragraph of name, title and contact lines, and what follows it", () => {
    const block =
      "Dr. Fatima El Amrani\nAIOS Interne Geneeskunde\nZiekenhuis Rijnoord\nSein 4412\n\nWij zoeken collega's! Bekijk onze vacatures op example.nl/werkenbij";
    expect(plain(`${MESSAGE}\n\n${block}`)).toBe(MESSAGE);
  });

  it("keeps thanks that say more, a closing with more message under it, a closing that is the whole message, and steps with a link", () => {
    const thanks = "Your team fixed it in ten minutes.\n\nThank you so much for staying late to fix it, it saved our launch!\nDana";
    expect(plain(thanks)).toBe(thanks);
    const more = "Kurze Frage.\nViele Grüße\nNachtrag: der Export bricht auch ab, wenn ich einen Zeitraum von mehr als einem Jahr auswähle, jedes Mal.";
    expect(plain(more)).toBe(more);
    expect(plain("Viele Grüße\nNina")).toBe("Viele Grüße\nNina");
    const steps = "The export fails.\n\nSteps to reproduce\nOpen https://app.example.com/export\nClick Export\nSee error 500";
    expect(plain(steps)).toBe(steps);
  });
});

describe("disclaimers and company details", () => {
  const en =
    "CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and may be legally privileged. If you are not the intended recipient, please notify the sender immediately and delete it. Any unauthorised use or disclosure is strictly prohibited.";
  const de =
    "Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie nicht der richtige Adressat sind oder diese E-Mail irrtümlich erhalten haben, informieren Sie bitte sofort den Absender und vernichten Sie diese Mail. Das unerlaubte Kopieren sowie die unbefugte Weitergabe dieser Mail ist nicht gestattet.";
  const imprint = "Acme GmbH · Musterstraße 1 · 10115 Berlin\nGeschäftsführer: Max Mustermann\nAmtsgericht Charlottenburg, HRB 123456 · USt-IdNr. DE123456789";

  it("cuts a disclaimer in the customer's language and in English, with the signature above them", () => {
    expect(plain(`${MESSAGE}\n\nMit freundlichen Grüßen\nJohann Müller\n\n${de}\n\n${en}`)).toBe(MESSAGE);
    expect(plain(`${MESSAGE}\n\n${en}`)).toBe(MESSAGE);
  });

  it("cuts the company details German business mail must carry", () => {
    expect(plain(`${MESSAGE}\n\nViele Grüße\nJohann Müller\n\n${imprint}`)).toBe(MESSAGE);
    expect(plain(`${MESSAGE}\n\n${imprint}\n\nBitte denken Sie an die Umwelt, bevor Sie diese E-Mail ausdrucken. Vor dem Ausdrucken prüfen.`)).toBe(MESSAGE);
  });

  it("cuts a data-protection notice and a notice in capitals, and everything under the first notice", () => {
    const privacy = "Informationen zum Datenschutz: Wir verarbeiten Ihre personenbezogenen Daten gemäß Art. 13 DSGVO. Details in unserer Datenschutzerklärung.";
    const caps = "UWAGA: WIADOMOŚĆ TA MOŻE ZAWIERAĆ INFORMACJE OBJĘTE TAJEMNICĄ. JEŻELI NIE JEST PANI/PAN ZAMIERZONYM ODBIORCĄ, PROSIMY O USUNIĘCIE.";
    expect(plain(`${MESSAGE}\n\n${privacy}\n\nHinweis: bitte keine Gesundheitsdaten per E-Mail senden.`)).toBe(MESSAGE);
    expect(plain(`${MESSAGE}\n\n${caps}`)).toBe(MESSAGE);
  });

  it.each([
    [
      "a GDPR request that uses a notice's words",
      "Dear Data Protection Officer,\n\nUnder Article 15 GDPR I request a copy of all personal data you hold about me, with the purposes of processing and the recipients.\n\nJulia Weber",
    ],
    [
      "the same in French",
      "Bonjour,\n\nEn application de l'article 15 du RGPD, je vous prie de me communiquer les données me concernant et leurs destinataires.",
    ],
    [
      "confidential mail sent to the wrong recipient",
      "Your system e-mailed me a confidential invoice meant for another recipient.\n\nPlease tell me who else received mine, and delete it from their inbox.",
    ],
    ["a tax number to add to an invoice", "Proszę o korektę faktury.\n\nNasz NIP to 123-456-78-90, proszę go dopisać."],
    [
      "company numbers missing from an invoice",
      "Bonjour,\n\nNotre numéro de TVA intracommunautaire (FR 32 123456789) et notre SIRET n'apparaissent pas sur la facture F-2024-0457.",
    ],
    ["a PGP-signed message", "Hi,\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nThe export fails since this morning.\n-----BEGIN PGP SIGNATURE-----"],
  ])("keeps the customer's own words: %s", (_, text) => {
    expect(plain(text)).toBe(text);
  });

  it("keeps a disclaimer that is the whole message", () => {
    expect(plain(en)).toBe(en);
  });

  it("triage reads a German ticket under a signature, a disclaimer and company details as it reads the ticket alone", () => {
    const subject = "Anmeldung geht nicht";
    const cluttered = plain(`${MESSAGE}\n\nMit freundlichen Grüßen\nJohann Müller\n\n${imprint}\n\n${de}\n\n${en}`);
    expect(readTicket(subject, cluttered)).toEqual(readTicket(subject, MESSAGE));
    expect(readHardStops(subject, cluttered)).toEqual(readHardStops(subject, MESSAGE));
    expect(detectLanguage(`${subject}\n${cluttered}`)).toEqual({ language: "de", detected: true });
  });

  it("stays linear on a huge body of short lines that look like company details", () => {
    const lines = `${MESSAGE}\n\n${"HRB 1 Amtsgericht\n".repeat(20_000)}`;
    expect(plain(lines)).toBe(MESSAGE);
  });
});
