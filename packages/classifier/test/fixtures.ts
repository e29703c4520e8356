import type { TrainingExample } from '../src/index';

const INTENTS: Record<string, { en: string[]; zh: string[] }> = {
  card_arrival: {
    en: [
      'my card has not arrived',
      'where is my new card',
      'card still not delivered',
      'when will my card come',
      'track my card delivery',
    ],
    zh: ['我的卡还没到', '新卡什么时候寄到', '银行卡一直没有收到', '卡片邮寄进度', '查询卡片配送'],
  },
  refund: {
    en: [
      'I want a refund',
      'refund my payment please',
      'how do I get my money back',
      'request a refund for my order',
      'refund has not come through',
    ],
    zh: ['我要退款', '申请退款', '退款什么时候到账', '怎么把钱退回来', '退货退款流程'],
  },
  login: {
    en: [
      'I cannot log in',
      'login fails every time',
      'forgot my password and cannot sign in',
      'locked out of my account',
      'sign in error on the app',
    ],
    zh: ['无法登录', '登录失败', '忘记密码无法登录', '账号被锁定了', '登录时提示错误'],
  },
  top_up: {
    en: [
      'how do I top up',
      'top up with my card',
      'add money to my balance',
      'top up did not work',
      'top up limit',
    ],
    zh: ['怎么充值', '用银行卡充值', '给账户加钱', '充值没有成功', '充值限额是多少'],
  },
};

const EN_PREFIX = ['', 'hi, ', 'hello ', 'please help: ', 'urgent! '];
const EN_SUFFIX = ['', '?', ' thanks', ' asap', ' please'];
const ZH_PREFIX = ['', '你好，', '请问', '客服，', '急！'];
const ZH_SUFFIX = ['', '？', '，谢谢', '。', '啊'];

/** A small deterministic bilingual dataset: 4 intents × 10 phrases × 5 variants. */
export function syntheticExamples(): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const [label, { en, zh }] of Object.entries(INTENTS)) {
    en.forEach((phrase, i) => {
      for (let v = 0; v < 5; v++) {
        out.push({ text: `${EN_PREFIX[(i + v) % 5] ?? ''}${phrase}${EN_SUFFIX[v] ?? ''}`, label });
      }
    });
    zh.forEach((phrase, i) => {
      for (let v = 0; v < 5; v++) {
        out.push({ text: `${ZH_PREFIX[(i + v) % 5] ?? ''}${phrase}${ZH_SUFFIX[v] ?? ''}`, label });
      }
    });
  }
  return out;
}
