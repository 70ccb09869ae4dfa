// Redaction of customer data in samples: each kind in the formats and
// languages customers write them in, and the numbers that must stay readable.
import { describe, expect, it } from "vitest";
import { redactJson, redactText } from "./redaction";

const redacted = (text: string) => redactText(text).text;

describe("e-mail addresses", () => {
  it.each([
    ["Write to pat.doe+billing@customer.test please", "Write to [email] please"],
    ["Meine Adresse: jürgen.müller@beispiel.de.", "Meine Adresse: [email]."],
    ["<ana_lopez@correo.example.es>", "<[email]>"],
  ])("%s", (text, expected) => {
    expect(redacted(text)).toBe(expected);
  });

  it("counts each one", () => {
    expect(redactText("a@b.io and c@d.io").counts).toEqual({ email: 2 });
  });
});

describe("phone numbers", () => {
  it.each([
    ["Call me on +44 20 7946 0958 today", "Call me on [phone] today"],
    ["+44 (0)20 7946 0958", "[phone]"],
    ["Ring +1-415-555-0132.", "Ring [phone]."],
    ["(415) 555-0132 or 415.555.0132", "[phone] or [phone]"],
    ["Rufen Sie mich an: 030 / 1234567", "Rufen Sie mich an: [phone]"],
    ["Handy 0151 23456789, danke", "Handy [phone], danke"],
    ["Tel.: +49 30 12345678", "Tel.: [phone]"],
    ["0049 30 12345678", "[phone]"],
    ["mon numéro: 06 12 34 56 78", "mon numéro: [phone]"],
    ["joignable au 01.23.45.67.89", "joignable au [phone]"],
    ["llámame al 612 34 56 78 o al 912 345 678", "llámame al [phone] o al [phone]"],
    ["telefone +351 912 345 678", "telefone [phone]"],
    ["chiamami al 333 123 4567 oppure 06 1234 5678", "chiamami al [phone] oppure [phone]"],
    ["bel me op 020-123 4567 of 06-12345678", "bel me op [phone] of [phone]"],
    ["UK mobile 07700 900123", "UK mobile [phone]"],
    ["+33 6 12 34 56 78, +31 6 12345678, +41 44 668 18 00", "[phone], [phone], [phone]"],
    ["+49 (0)30 12345678 or +1 (415) 555-0132", "[phone] or [phone]"],
    ["phone number: 5551234", "phone number: [phone]"],
  ])("%s", (text, expected) => {
    expect(redacted(text)).toBe(expected);
  });

  it.each([
    "It happened on 2024-05-12 at 14:30.",
    "Am 12.05.2024 um 09:15 Uhr und am 01/02/2024",
    "le 06.12.2024 à 10h30",
    "Order 123456789 and order #0301234567 are missing",
    "Bestellnummer 0301 2345 678 fehlt",
    "My invoice INV-2024-000123 and ticket T-1234567, case INC0012345",
    "I paid €1.299,00 instead of 1 234 567,89 EUR and $1,299.00",
    "Wir haben 1 250 000 Nutzer",
    "After updating to v2.10.4 and 10.0.19045.2965 it broke",
    "We have 120000 users across 4500 teams since 2019",
    "Serial number 4929 1234 5678 9011 is printed on the box",
    "Sent 2024-05-12T14:30:00Z, request 123e4567-e89b-12d3-a456-426614174000, ticket E2E-1764600000000-1",
    "IP 192.168.1.10, ISBN 978-3-16-148410-0, SKU 123-456-789, tracking 1Z999AA10123456784",
  ])("leaves %s alone", (text) => {
    expect(redacted(text)).toBe(text);
  });
});

describe("payment cards", () => {
  it.each([
    ["card 4111 1111 1111 1111 was charged", "card [card] was charged"],
    ["Karte 5555-5555-5555-4444.", "Karte [card]."],
    ["amex 378282246310005", "amex [card]"],
    ["la tarjeta 4111111111111111, caduca 12/27", "la tarjeta [card], caduca 12/27"],
    ["Discover 6011 1111 1111 1117 and 3530 1113 3330 0000", "Discover [card] and [card]"],
  ])("%s", (text, expected) => {
    expect(redacted(text)).toBe(expected);
  });

  it("keeps a 16-digit number that fails the Luhn check", () => {
    expect(redacted("reference 4111 1111 1111 1112 from the bank")).toBe("reference 4111 1111 1111 1112 from the bank");
    expect(redacted("4111111111111112")).toBe("4111111111111112");
  });
});

describe("IBANs", () => {
  it.each([
    ["IBAN: DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX", "IBAN: [iban], BIC COBADEFFXXX"],
    ["IBAN DE89370400440532013000", "IBAN [iban]"],
    ["mon IBAN FR14 2004 1010 0505 0001 3M02 606 merci", "mon IBAN [iban] merci"],
    ["GB82 WEST 1234 5698 7654 32", "[iban]"],
    ["NL91ABNA0417164300 en ES91 2100 0418 4502 0005 1332", "[iban] en [iban]"],
  ])("%s", (text, expected) => {
    expect(redacted(text)).toBe(expected);
  });

  it("keeps an IBAN-shaped string whose check digits are wrong", () => {
    expect(redacted("DE00 3704 0044 0532 0130 00")).toBe("DE00 3704 0044 0532 0130 00");
  });
});

describe("postal addresses", () => {
  it.each([
    ["Send it to 221B Baker Street, London NW1 6XE.", "Send it to [address]."],
    ["Flat 3, 45 Queen St\nLondon SW1A 1AA", "Flat 3, [address]"],
    ["12 Main St, Springfield, IL 62704", "[address]"],
    ["I live at 1600 Pennsylvania Avenue since May", "I live at [address] since May"],
    ["Lieferadresse: Hauptstraße 5, 10115 Berlin", "Lieferadresse: [address]"],
    ["Berliner Straße 12a\n10115 Berlin", "[address]"],
    ["Überseestraße 3 ist falsch", "[address] ist falsch"],
    ["au 12 rue de la Paix, 75002 Paris merci", "au [address] merci"],
    ["Calle Mayor 10, 28013 Madrid", "[address]"],
    ["vivo en Avenida de la Constitución 5", "vivo en [address]"],
    ["moro na Rua das Flores, nº 12", "moro na [address]"],
    ["Avenida da Liberdade 110, 1250-146 Lisboa", "[address]"],
    ["abito in Via del Corso, 12 a Roma", "abito in [address] a Roma"],
    ["Kalverstraat 92\n1012 PH Amsterdam", "[address]"],
    ["Keizersgracht 123, 1015 CJ Amsterdam", "[address]"],
    ["Rue de la Loi 16, 1040 Bruxelles", "[address]"],
    ["15 Rue du Faubourg Saint-Honoré, 75008 Paris", "[address]"],
    ["Piazza Navona 1, 00186 Roma", "[address]"],
    ["Mariahilfer Straße 1, 1060 Wien", "[address]"],
    ["Springfield, IL 62704", "[address]"],
    ["Pat Doe\n75002 Paris\nFrance", "Pat Doe\n[address]\nFrance"],
  ])("%s", (text, expected) => {
    expect(redacted(text)).toBe(expected);
  });

  it.each(["I have 3 open tickets on the way", "Bring 5 items to the meeting", "We need it in 2 Business Days", "Hauptstraße is closed"])(
    "leaves %s alone",
    (text) => {
      expect(redacted(text)).toBe(text);
    },
  );
});

describe("a JSON value", () => {
  it("redacts every string inside, keeps keys and other values, and sums the counts", () => {
    const input = {
      system: "You are the support agent.",
      messages: [
        { role: "user", content: "requester_email: pat@customer.test" },
        { role: "tool", content: [{ type: "tool-result", output: { body: "call +49 30 12345678 or pat@customer.test", pages: 3, ok: true } }] },
      ],
      none: null,
    };
    const { value, counts } = redactJson(input);
    expect(value).toEqual({
      system: "You are the support agent.",
      messages: [
        { role: "user", content: "requester_email: [email]" },
        { role: "tool", content: [{ type: "tool-result", output: { body: "call [phone] or [email]", pages: 3, ok: true } }] },
      ],
      none: null,
    });
    expect(counts).toEqual({ email: 2, phone: 1 });
  });
});

describe("untrusted text", () => {
  it("takes linear time on long runs that look almost like customer data", async () => {
    // Each of these took seconds at 64 KiB when a pattern had an unbounded run retried from every position.
    const size = 256 * 1024;
    const runs = ["a", "1", "12 ", "AB", "DE89 ", "a.", "a-", "12.05.2024 ", "+1 2 ", "Via delle "].map((unit) => unit.repeat(Math.ceil(size / unit.length)));
    const started = Date.now();
    for (const text of runs) redactText(text);
    // workerd's clock stands still while code runs and moves on with the next event: a timer.
    await new Promise((resolve) => setTimeout(resolve, 1));
    const elapsed = Date.now() - started;
    // About 1 s here for all ten (2.5 MiB); quadratic time would take minutes.
    expect(elapsed).toBeLessThan(10_000);
  });
});
