// The customer's own words of an e-mail: quoted history and signatures cut
// (email-reply-parser with our guards), on plain-text and HTML mails as the
// common clients write them, in several languages; chat messages, forwards
// and mails that are all quote stay whole; hostile input stays fast.
import { describe, expect, it } from "vitest";
import { bodyText } from "./inbound";
import { stripQuotedReply } from "./reply-text";

const plain = (text: string) => bodyText(text, false);
const html = (markup: string) => bodyText(markup, true);

describe("plain-text mails", () => {
  it("cuts Gmail's English quote header and the quoted lines", () => {
    const mail = [
      "Hi team,",
      "",
      "The export still fails after the update.",
      "",
      "Thanks,",
      "Pat",
      "",
      "On Sat, Nov 1, 2026 at 10:22 AM Acme Support <support@acme.test> wrote:",
      "> Could you try again after updating to 4.2?",
      ">",
      "> Best, Acme",
    ].join("\n");
    // The sign-off goes too (./mail-footer.ts).
    expect(plain(mail)).toBe("Hi team,\n\nThe export still fails after the update.");
  });

  it("cuts a header Gmail wrapped over two lines", () => {
    const mail = "It is still broken.\n\nOn Sat, Nov 1, 2026 at 10:22 AM Acme Support Team <\nsupport@acme.test> wrote:\n> Please retry.";
    expect(plain(mail)).toBe("It is still broken.");
  });

  it('cuts German "Am … schrieb …:" and "Von meinem iPhone gesendet"', () => {
    const mail = [
      "Hallo,",
      "",
      "der Export bricht immer noch ab.",
      "",
      "Viele Grüße",
      "Emily",
      "",
      "Von meinem iPhone gesendet",
      "",
      "Am 03.11.2026 um 10:12 schrieb Acme Support <support@acme.test>:",
      "> Bitte versuchen Sie es erneut.",
    ].join("\n");
    // The closing and name go too (./mail-footer.ts).
    expect(plain(mail)).toBe("Hallo,\n\nder Export bricht immer noch ab.");
  });

  it('cuts French "Le … a écrit :" and the "Cordialement" sign-off', () => {
    const mail = [
      "Bonjour,",
      "",
      "Je n'arrive toujours pas à exporter le rapport.",
      "",
      "Cordialement,",
      "Dana",
      "",
      "Le sam. 1 nov. 2026 à 10:22, Acme Support <support@acme.test> a écrit :",
      "> Pouvez-vous réessayer ?",
    ].join("\n");
    expect(plain(mail)).toBe("Bonjour,\n\nJe n'arrive toujours pas à exporter le rapport.");
  });

  it('cuts Spanish "El … escribió:" and "Enviado desde mi iPhone"', () => {
    const mail = [
      "Hola,",
      "",
      "la exportación sigue fallando.",
      "",
      "Enviado desde mi iPhone",
      "",
      "El sáb, 1 nov 2026 a las 10:22, Acme Support (<support@acme.test>) escribió:",
      "> ¿Puede intentarlo de nuevo?",
    ].join("\n");
    expect(plain(mail)).toBe("Hola,\n\nla exportación sigue fallando.");
  });

  it("cuts Outlook's From/Sent block, with or without an address, in English and German", () => {
    const english = [
      "Hello,",
      "",
      "Still broken on our side.",
      "",
      "From: Acme Support",
      "Sent: Saturday, November 1, 2026 10:22 AM",
      "To: Pat Doe",
      "Subject: RE: Export fails",
      "",
      "Could you try again?",
    ].join("\n");
    expect(plain(english)).toBe("Hello,\n\nStill broken on our side.");
    const german = [
      "Hallo,",
      "",
      "geht immer noch nicht.",
      "",
      "Von: Acme Support <support@acme.test>",
      "Gesendet: Samstag, 1. November 2026 10:22",
      "An: Emily Adams <emily@example.com>",
      "Betreff: AW: Export",
      "",
      "Bitte erneut versuchen.",
    ].join("\n");
    expect(plain(german)).toBe("Hallo,\n\ngeht immer noch nicht.");
  });

  it('cuts "-----Original Message-----" and the "________________________________" separator', () => {
    expect(plain("Thanks, that fixed it.\n\n-----Original Message-----\nFrom: Acme <support@acme.test>\nPlease retry.")).toBe("Thanks, that fixed it.");
    expect(plain("Still failing.\n\n________________________________\nFrom: Acme Support\nSent: Monday\nPlease retry.")).toBe("Still failing.");
  });

  it('cuts a "-- " signature and "Sent from my iPhone"', () => {
    expect(plain("Please cancel my plan.\n\n-- \nPat Doe\nHead of Ops, Example GmbH\n+49 30 1234567")).toBe("Please cancel my plan.");
    expect(plain("Please cancel my plan.\n\nSent from my iPhone")).toBe("Please cancel my plan.");
  });

  it('cuts the quote headers the library does not know: Portuguese, Dutch and Polish clients, and "-----Mensaje original-----"', () => {
    for (const header of [
      "Apoio ao Cliente <apoio@example.pt> escreveu (terça, 1/12/2026 à(s) 09:14):",
      "Op 2 dec 2026 om 08:03 heeft Helpdesk <helpdesk@example.nl> het volgende geschreven:",
      "pon., 30 lis 2026 o 16:47 Obsługa Klienta <pomoc@example.pl> napisał(a):",
      "-----Mensaje original-----\nDe: Mesa de Ayuda [mailto:ayuda@example.com]",
    ]) {
      expect(plain(`O export continua a falhar.\n\n${header}\n> Obrigado pelo seu contacto.`)).toBe("O export continua a falhar.");
    }
  });

  it('keeps what follows "-----Original Message-----" when the customer says they forward it', () => {
    const mail =
      "Przekazuję wiadomość od kierownika zmiany, proszę o pilną reakcję.\n\n-----Wiadomość oryginalna-----\nOd: Paweł Nowicki\nTemat: telefonia\n\nOd 13:30 żadne połączenie nie trafia do konsultantów.";
    expect(plain(mail)).toBe(mail);
  });

  it("keeps a forwarded message: it is what the customer wants us to read", () => {
    const gmail = [
      "See the error below.",
      "",
      "---------- Forwarded message ---------",
      "From: Billing <billing@shop.test>",
      "Date: Sat, Nov 1, 2026 at 9:00 AM",
      "Subject: Payment failed",
      "",
      "Your payment of $49.00 failed.",
    ].join("\n");
    expect(plain(gmail)).toBe(gmail);
    const outlook = [
      "Please look at this.",
      "",
      "From: Billing <billing@shop.test>",
      "Sent: Saturday, November 1, 2026 9:00 AM",
      "To: Pat",
      "Subject: FW: Payment failed",
      "",
      "Your payment failed.",
    ].join("\n");
    expect(plain(outlook)).toBe(outlook);
  });

  it("leaves chat messages, and a message that is all quote, as they were", () => {
    const chat = "hey, the app crashes when I open settings\nandroid 15, pixel 8";
    expect(plain(chat)).toBe(chat);
    expect(plain("> only a quote\n> nothing else")).toBe("> only a quote\n> nothing else");
    expect(stripQuotedReply("")).toBe("");
  });

  it("keeps a long line whole and still cuts the quote under it", () => {
    const log = `ERROR ${"x".repeat(5000)}`;
    expect(plain(`${log}\n\nOn Sat, Nov 1, 2026 at 10:22 AM Acme <support@acme.test> wrote:\n> old`)).toBe(log);
  });
});

describe("HTML mails", () => {
  it("Gmail: the gmail_quote block with a nested quote is cut, the text above kept", () => {
    const markup =
      '<div dir="ltr"><div>Hi Acme team,</div><div><br></div><div>The refund has not arrived yet.</div><div><br></div><div>Thanks,</div><div>Maria</div></div><br>' +
      '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Sat, Nov 1, 2026 at 10:22 AM Acme Support &lt;<a href="mailto:support@acme.test">support@acme.test</a>&gt; wrote:<br></div>' +
      '<blockquote class="gmail_quote"><div>We have refunded one charge.</div><div class="gmail_quote">On Fri, Oct 31, 2026 Maria wrote:<blockquote><div>I was charged twice.</div></blockquote></div></blockquote></div>';
    expect(html(markup)).toBe("Hi Acme team,\n\nThe refund has not arrived yet.");
  });

  it("Gmail without a blank line before the header: the quoted block still takes the header with it", () => {
    const markup =
      '<div dir="ltr">Still broken.</div><div class="gmail_quote"><div class="gmail_attr">On Sat, Nov 1, 2026 at 10:22 AM Acme &lt;support@acme.test&gt; wrote:</div><blockquote class="gmail_quote">Please retry.</blockquote></div>';
    expect(html(markup)).toBe("Still broken.");
  });

  it("Apple Mail (German): the header inside the cite blockquote is cut", () => {
    const markup =
      '<div>Hallo,<div><br></div><div>es geht leider immer noch nicht.</div><div><br></div><div>Gruß, Emily</div><div><br><blockquote type="cite"><div>Am 03.11.2026 um 10:12 schrieb Acme Support &lt;support@acme.test&gt;:</div><br><div><div>Bitte erneut versuchen.</div></div></blockquote></div></div>';
    expect(html(markup)).toBe("Hallo,\n\nes geht leider immer noch nicht.");
  });

  it("Outlook (French): the divRplyFwdMsg block with De / Envoyé / À / Objet is cut", () => {
    const markup =
      '<div class="WordSection1"><p class="MsoNormal">Bonjour,<o:p></o:p></p><p class="MsoNormal">Le bouton reste grisé.<o:p></o:p></p></div>' +
      '<div id="divRplyFwdMsg" dir="ltr"><hr style="display:inline-block;width:98%"><font face="Calibri" style="font-size:11pt"><b>De :</b> Acme Support &lt;support@acme.test&gt;<br><b>Envoyé :</b> samedi 1 novembre 2026 10:22<br><b>À :</b> Dana<br><b>Objet :</b> RE: Export</font><div>&nbsp;</div></div><div>Pouvez-vous réessayer ?</div>';
    expect(html(markup)).toBe("Bonjour,\n\nLe bouton reste grisé.");
  });

  it("Thunderbird (Spanish): the moz-cite-prefix header and its blockquote are cut", () => {
    const markup =
      '<p>Hola,</p><p>sigue sin funcionar.</p><div class="moz-cite-prefix">El 1/11/26 a las 10:22, Acme Support escribió:<br></div><blockquote type="cite" cite="mid:1@acme.test"><p>¿Puede intentarlo de nuevo?</p></blockquote>';
    expect(html(markup)).toBe("Hola,\n\nsigue sin funcionar.");
  });

  it("a customer's own HTML without quotes keeps every line", () => {
    expect(html("<p>First line</p><ul><li>one</li><li>two</li></ul><p>Cheers to the team for the quick fix earlier!</p>")).toBe(
      "First line\n\none\ntwo\n\nCheers to the team for the quick fix earlier!",
    );
  });
});

describe("hostile input", () => {
  it("stays fast on text written to make the parser's regular expressions backtrack", () => {
    const n = 100_000;
    const fill = (unit: string) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    for (const text of [
      `On ${"a ".repeat(n / 2)}`,
      fill("1234 from <"),
      fill("Op x schreef y\n"),
      fill("abc. skrev x\n"),
      fill('12:34 2026 " <x> '),
      fill("Am x schrieb <y> "),
      // Closings with names over and over, then more long lines than a signature carries (./mail-footer.ts).
      `Hi\n${fill("Regards\nAnna\n")}\n${`${"x".repeat(120)}\n`.repeat(10)}`,
      `Hi\n${fill("\nDr. Anna Berg\nTitle\nTel. 030 1234567\n")}`,
    ]) {
      const started = performance.now();
      stripQuotedReply(text);
      expect(performance.now() - started).toBeLessThan(3_000);
    }
  });
});
