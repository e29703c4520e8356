/**
 * Text normalisation and tokenisation shared by keyword rules and the intent model.
 *
 * Pure and browser-safe: only `String.prototype.normalize` and `Intl.Segmenter`.
 */

// Traditional → simplified pairs for common customer-support vocabulary. This is a cheap
// character table, not a full OpenCC conversion: it exists so that a rule written with
// 登录 also matches 登錄, and the model sees one spelling.
const TRADITIONAL_SIMPLIFIED_PAIRS =
  '錄录碼码帳账賬账號号貨货訂订單单買买賣卖費费聯联繫系係系發发務务戶户資资訊讯電电話话郵邮' +
  '運运輸输換换價价錢钱銀银轉转餘余額额變变設设開开關关閉闭網网頁页無无達达應应該该問问題题' +
  '請请謝谢麼么這这個个們们來来時时間间過过還还沒没於于與与為为對对從从後后讓让給给認认證证' +
  '驗验簽签審审權权處处報报錯错誤误壞坏機机裝装備备實实際际顯显點点擊击線线連连斷断級级優优' +
  '積积會会員员註注冊册銷销紅红幣币匯汇約约損损貼贴補补償偿賠赔舊旧團团隊队質质產产規规細细' +
  '節节標标準准確确狀状態态況况進进遲迟長长詢询諮咨熱热經经門门庫库遞递區区寫写漢汉語语軟软' +
  '體体載载傳传檔档數数據据復复刪删鎖锁凍冻結结盜盗騙骗詐诈險险護护隱隐條条協协議议預预掛挂' +
  '辦办領领現现充充續续計计兌兑獎奖勵励臺台灣湾國国內内幫帮說说嗎吗誰谁裡里兒儿樣样種种類类' +
  '別别專专業业歷历紀纪記记憶忆總总統统兩两萬万億亿張张筆笔項项屬属適适當当執执動动異异穩稳' +
  '壓压測测試试檢检調调書书簡简寬宽頻频終终陸陆綁绑購购貸贷們们雙双臨临鐘钟週周戲戏視视聽听' +
  '讀读選选擇择尋寻導导盤盘鍵键頭头廣广告告圖图碼码態态習习慣惯員员務务貢贡獻献罰罚繳缴違违' +
  '規规約约價价';

const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = buildTable();
// Only characters in the table are visited, so long texts without them cost one scan.
const TRADITIONAL_CHARS = new RegExp(`[${[...TRADITIONAL_TO_SIMPLIFIED.keys()].join('')}]`, 'gu');

function buildTable(): Map<string, string> {
  const table = new Map<string, string>();
  const chars = Array.from(TRADITIONAL_SIMPLIFIED_PAIRS);
  for (let i = 0; i + 1 < chars.length; i += 2) {
    const from = chars[i];
    const to = chars[i + 1];
    if (from !== undefined && to !== undefined && from !== to) table.set(from, to);
  }
  return table;
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_OR_OTHER_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
// A run of letters/digits, optionally joined by apostrophes (can't, customer's).
const WORD_RUN = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
// Segmenting one long string with Intl.Segmenter is quadratic in V8; chunks keep it linear.
const SEGMENT_CHUNK = 200;

/** True when the string contains Chinese, Japanese or Korean characters. */
export function hasCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

/**
 * Case-fold, NFKC (full-width → half-width), traditional → simplified for common support
 * vocabulary, curly apostrophes → straight, whitespace collapsed. Never throws: lone
 * surrogates pass through unchanged.
 */
export function normalizeText(text: string): string {
  let out = text.normalize('NFKC').toLowerCase();
  out = out.replace(TRADITIONAL_CHARS, (ch) => TRADITIONAL_TO_SIMPLIFIED.get(ch) ?? ch);
  out = out.replace(/’/g, "'");
  return out.replace(/\s+/gu, ' ').trim();
}

let segmenter: Intl.Segmenter | undefined;
function getSegmenter(): Intl.Segmenter {
  // A fixed locale keeps tokenisation the same on every machine; ICU's CJK dictionary
  // segmentation does not depend on it.
  segmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
  return segmenter;
}

function segmentCjkRun(run: string, out: string[]): void {
  const seg = getSegmenter();
  for (let start = 0; start < run.length; start += SEGMENT_CHUNK) {
    let end = Math.min(run.length, start + SEGMENT_CHUNK);
    // Do not cut a surrogate pair in half.
    const code = run.charCodeAt(end - 1);
    if (end < run.length && code >= 0xd800 && code <= 0xdbff) end += 1;
    for (const part of seg.segment(run.slice(start, end))) {
      if (part.isWordLike === true) out.push(part.segment);
    }
    start = end - SEGMENT_CHUNK;
  }
}

/**
 * Word tokens of already-normalised text. Latin-script words come from a Unicode regex
 * (letters, digits, inner apostrophes); runs containing CJK characters go through
 * `Intl.Segmenter` word segmentation so 无法登录后台 → 无法 | 登录 | 后台.
 *
 * With `segmentCjk: false` CJK characters are dropped instead (keyword rules match CJK
 * by substring, so they only need the other words, and skipping ICU keeps 1 MB inputs
 * cheap); a mixed run such as `app登录` still yields `app`.
 */
export function tokenize(normalized: string, options: { segmentCjk?: boolean } = {}): string[] {
  const segment = options.segmentCjk ?? true;
  const tokens: string[] = [];
  for (const match of normalized.matchAll(WORD_RUN)) {
    const run = match[0];
    if (!hasCjk(run)) tokens.push(run);
    else if (segment) segmentCjkRun(run, tokens);
    else {
      for (const part of run.matchAll(CJK_OR_OTHER_RUN)) {
        if (!hasCjk(part[0])) tokens.push(part[0]);
      }
    }
  }
  return tokens;
}
