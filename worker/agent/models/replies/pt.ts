// Portuguese, neutral with Brazilian usage ("você"), as a Brazilian support team writes.
import type { PhraseBook } from "./phrase-book";
import { wordsPattern } from "./phrase-book";

const hours = (n: number) => `${n} ${n === 1 ? "hora" : "horas"}`;

export const pt: PhraseBook = {
  greeting: (name) => (name ? `Olá, ${name}!` : "Olá!"),
  revisedGreeting: (name) => (name ? `Olá, ${name},` : "Olá,"),
  thanks: (subject) => `Agradecemos o seu contato sobre “${subject}”.`,
  categoryLines: {
    outage:
      "Sinto muito pelo transtorno. Nossa equipe de engenharia já foi acionada e está investigando neste momento; vamos trazer atualizações por aqui conforme tivermos novidades.",
    security:
      "É muito importante para nós que você tenha relatado isso de forma responsável. Já encaminhei o caso para a nossa equipe de segurança, que analisa cada relato com prioridade.",
    billing:
      "Já consultei o seu histórico de faturamento e estou verificando as cobranças que você mencionou. Vou confirmar exatamente o que aconteceu antes de fazer qualquer alteração na sua conta.",
    "account-access":
      "Posso ajudar você a recuperar o acesso à sua conta. Por segurança, use o link de redefinição na página de login; se ele não chegar em alguns minutos, confira a sua pasta de spam e me avise.",
    bug: "O seu relato detalhado ajuda muito. Estou reproduzindo o problema do nosso lado e vou compartilhar o que descobrirmos, incluindo uma solução alternativa, se houver.",
    "data-privacy":
      "Registrei a sua solicitação referente aos seus dados. Tratamos esse tipo de pedido de acordo com a nossa política de privacidade e vamos confirmar cada etapa com você antes de exportar ou excluir qualquer dado.",
    api: "Estou verificando o uso da API e os limites do seu espaço de trabalho, e retorno com informações específicas para a sua integração.",
    cancellation:
      "Lamento saber que você está pensando em nos deixar. Vou garantir que a sua solicitação seja tratada corretamente e que você saiba exatamente o que acontece com os seus dados e a sua cobrança.",
    "feature-request": "A sua sugestão é muito bem-vinda. Já a compartilhei com a nossa equipe de produto, que lê todos os pedidos ao planejar o roadmap.",
    general: "Já estou analisando o seu caso e retorno com uma resposta completa.",
  },
  specialistReviewing: "Quero ter certeza de que vamos resolver isso da forma certa, por isso um especialista está analisando o seu caso pessoalmente.",
  handoff: (queue) => `Compartilhei os detalhes com a nossa equipe de ${queue} para que nada se perca.`,
  slaUnknown: (n) => `Normalmente enviamos uma resposta completa em até ${hours(n)}.`,
  slaEnterprise: (company, n) =>
    company
      ? `Como ${company} é cliente Enterprise, a equipe responsável pela sua conta já foi envolvida e você terá um retorno nosso em até ${hours(n)}.`
      : `Como a sua empresa é cliente Enterprise, a equipe responsável pela sua conta já foi envolvida e você terá um retorno nosso em até ${hours(n)}.`,
  slaPlan: (plan, n) => `No seu plano ${plan}, você receberá uma resposta completa em até ${hours(n)}.`,
  guideIntro: "Veja o que diz o nosso guia:",
  readMore: "Você pode ler o artigo completo aqui:",
  notSolved: "Se isso não resolver, é só responder a esta mensagem que seguimos a partir daí.",
  signOff: "Atenciosamente,",
  supportWords: wordsPattern(["suporte", "ajuda", "atendimento", "assistência", "equipe", "time"]),
  supportSignature: (accountName) => `Suporte ${accountName}`,
};
