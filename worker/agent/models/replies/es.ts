// Spanish, "usted", neutral international (no regionalisms from Spain or one Latin American country).
import type { PhraseBook } from "./phrase-book";
import { wordsPattern } from "./phrase-book";

const hours = (n: number) => `${n} ${n === 1 ? "hora" : "horas"}`;

export const es: PhraseBook = {
  // The colon after the greeting is the usual form in Spanish correspondence.
  greeting: (name) => (name ? `Hola, ${name}:` : "Hola:"),
  revisedGreeting: (name) => (name ? `Hola, ${name}:` : "Hola:"),
  thanks: (subject) => `Gracias por escribirnos acerca de «${subject}».`,
  categoryLines: {
    outage:
      "Lamento mucho las molestias que esto le está causando. Nuestro equipo de ingeniería ya está al tanto y lo está investigando en este momento; le iremos informando por aquí a medida que tengamos novedades.",
    security:
      "Le agradezco que nos lo haya comunicado de forma responsable. Ya lo he trasladado a nuestro equipo de seguridad, que revisa con prioridad cada aviso que recibe.",
    billing:
      "He consultado su historial de facturación y estoy revisando los cargos que menciona. Antes de hacer cualquier cambio en su cuenta, confirmaré exactamente qué ocurrió.",
    "account-access":
      "Con gusto le ayudo a recuperar el acceso a su cuenta. Por su seguridad, utilice el enlace para restablecer la contraseña que encontrará en la página de inicio de sesión; si no le llega en unos minutos, revise su carpeta de correo no deseado y avíseme.",
    bug: "Su descripción detallada nos es de gran ayuda. Estoy intentando reproducir el problema de nuestro lado y le contaré lo que encontremos, incluida una solución provisional si la hay.",
    "data-privacy":
      "He registrado su solicitud sobre sus datos. Gestionamos este tipo de solicitudes conforme a nuestra política de privacidad y confirmaremos con usted cada paso antes de exportar o eliminar cualquier dato.",
    api: "Estoy revisando el uso que hace de la API y los límites de su espacio de trabajo, y le responderé con información concreta para su integración.",
    cancellation:
      "Lamento saber que está pensando en dejarnos. Me aseguraré de que su solicitud se gestione correctamente y de que sepa con exactitud qué ocurrirá con sus datos y su facturación.",
    "feature-request":
      "Su sugerencia es muy bienvenida. Ya la he compartido con nuestro equipo de producto, que lee todas las propuestas al planificar la hoja de ruta.",
    general: "Ya estoy revisando su caso y le escribiré con una respuesta completa.",
  },
  specialistReviewing: "Quiero asegurarme de que lo resolvamos bien, por eso un especialista de nuestro equipo está revisando su caso personalmente.",
  handoff: (queue) => `He compartido los detalles con nuestro equipo de ${queue} para que no se pierda nada.`,
  slaUnknown: (n) => `Normalmente enviamos una respuesta completa en un plazo de ${hours(n)}.`,
  slaEnterprise: (company, n) =>
    company
      ? `Como ${company} es cliente Enterprise, ya hemos avisado a su equipo de cuenta y recibirá noticias nuestras en un plazo de ${hours(n)}.`
      : `Como su empresa es cliente Enterprise, ya hemos avisado a su equipo de cuenta y recibirá noticias nuestras en un plazo de ${hours(n)}.`,
  slaPlan: (plan, n) => `Con su plan ${plan}, recibirá una respuesta completa en un plazo de ${hours(n)}.`,
  guideIntro: "Esto es lo que indica nuestra guía:",
  readMore: "Puede leer el artículo completo aquí:",
  notSolved: "Si esto no lo resuelve, responda a este mensaje y seguiremos a partir de ahí.",
  signOff: "Saludos cordiales,",
  supportWords: wordsPattern(["soporte", "ayuda", "asistencia", "equipo", "atención al cliente", "servicio al cliente"]),
  supportSignature: (accountName) => `Soporte de ${accountName}`,
};
