// The UI's two languages. The OS language decides at first (navigator.languages), the user can
// switch in the header; the choice is kept in localStorage. Chinese content gets lang="zh" and
// the CJK font stack (styles.css) wherever it appears, whatever the UI language.
import { createContext, useContext } from 'react';

export type UiLanguage = 'en' | 'zh';

const en = {
  appName: 'Lectern',
  library: 'Library',
  settings: 'Settings',
  language: 'Language',
  addDocuments: 'Add documents…',
  dropHere: 'Drop documents here to add them',
  filter: 'Filter documents',
  noDocuments: 'No documents yet. Add a PDF, DOCX, EPUB, TXT or Markdown file, or drop one here.',
  open: 'Open',
  remove: 'Remove',
  removeNamed: 'Remove {title}',
  openNamed: 'Open {title}',
  kind: 'Kind',
  pages: 'Pages',
  status: 'Status',
  title: 'Title',
  notRead: 'Not read yet',
  read: 'Read',
  readingPct: 'Reading {pct}%',
  ingesting: 'Adding {pct}%',
  eta: 'about {time} left',
  readNow: 'Read now',
  resume: 'Resume',
  stoppedAt: 'Stopped at {pct}%',
  cancel: 'Cancel',
  back: 'Back',
  forward: 'Forward',
  backToLibrary: 'Library',
  outline: 'Outline',
  noOutline: 'This document has no headings.',
  goToPage: 'Go to page',
  pageOf: 'Page {page} of {pages}',
  pageLabel: 'Page {page}',
  find: 'Find in document',
  findNext: 'Next match',
  close: 'Close',
  matches: '{n} matches',
  noMatches: 'No matches',
  summary: 'Summary',
  ask: 'Ask',
  overview: 'Overview',
  keyFacts: 'Key facts',
  summarize: 'Summarize',
  notYetAvailable: 'Not yet available in this version of Lectern.',
  question: 'Your question',
  askButton: 'Ask',
  askAcross: 'Ask across the whole library',
  notInDocument: 'Not in the document',
  answerWithCitations: 'Answered, with {n} citations',
  partial: 'The model has not finished reading; this answer used search and structure only.',
  partialSearch: 'This document is too long to rank its sentences; this answer comes from full-text search.',
  history: 'Questions asked',
  citationPage: 'p. {page}',
  citationSection: '§ {section}',
  citation: 'Source',
  highlighted: 'Highlighted on page {page}: {quote}',
  highlightedText: 'Highlighted: {quote}',
  quoteNotFound: 'The quoted text was not found on the page.',
  exportMarkdown: 'Export to Markdown',
  device: 'Compute device',
  deviceAuto: 'Automatic',
  deviceGpu: 'GPU',
  deviceCpu: 'CPU',
  providers: 'Available on this machine: {list}',
  model: 'Model',
  libraryLocation: 'Library location',
  libraryLocationHint: 'A new location takes effect the next time Lectern starts.',
  save: 'Save',
  saved: 'Saved',
  clearCache: 'Clear cache',
  clearCacheHint: 'Forget every reading, summary and answer; the documents stay.',
  cacheCleared: 'Cache cleared',
  working: 'Working…',
  error: 'Error: {message}',
  documentPane: 'Document',
  searchResultsFor: 'Passages for “{q}”',
  loading: 'Loading…',
  pageInput: 'Page number',
  readingFailed: 'Reading stopped: {message}',
};

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  appName: 'Lectern 书台',
  library: '文库',
  settings: '设置',
  language: '语言',
  addDocuments: '添加文档…',
  dropHere: '将文档拖放到此处添加',
  filter: '筛选文档',
  noDocuments: '还没有文档。添加 PDF、DOCX、EPUB、TXT 或 Markdown 文件，或拖放到此处。',
  open: '打开',
  remove: '移除',
  removeNamed: '移除《{title}》',
  openNamed: '打开《{title}》',
  kind: '类型',
  pages: '页数',
  status: '状态',
  title: '标题',
  notRead: '尚未阅读',
  read: '已读完',
  readingPct: '阅读中 {pct}%',
  ingesting: '添加中 {pct}%',
  eta: '约剩 {time}',
  readNow: '开始阅读',
  resume: '继续阅读',
  stoppedAt: '已停在 {pct}%',
  cancel: '取消',
  back: '后退',
  forward: '前进',
  backToLibrary: '文库',
  outline: '目录',
  noOutline: '此文档没有标题。',
  goToPage: '跳到页',
  pageOf: '第 {page} 页，共 {pages} 页',
  pageLabel: '第 {page} 页',
  find: '在文档中查找',
  findNext: '下一个',
  close: '关闭',
  matches: '{n} 处匹配',
  noMatches: '没有匹配',
  summary: '摘要',
  ask: '提问',
  overview: '概述',
  keyFacts: '要点',
  summarize: '生成摘要',
  notYetAvailable: '此版本的 Lectern 尚未提供该功能。',
  question: '你的问题',
  askButton: '提问',
  askAcross: '在整个文库中提问',
  notInDocument: '文档中没有相关内容',
  answerWithCitations: '已回答，附 {n} 处出处',
  partial: '模型尚未读完；此回答仅基于搜索和结构。',
  partialSearch: '此文档过长，无法逐句排序；此回答来自全文搜索。',
  history: '提问记录',
  citationPage: '第 {page} 页',
  citationSection: '§ {section}',
  citation: '出处',
  highlighted: '已在第 {page} 页标出：{quote}',
  highlightedText: '已标出：{quote}',
  quoteNotFound: '在该页上没有找到引文。',
  exportMarkdown: '导出为 Markdown',
  device: '计算设备',
  deviceAuto: '自动',
  deviceGpu: 'GPU',
  deviceCpu: 'CPU',
  providers: '本机可用：{list}',
  model: '模型',
  libraryLocation: '文库位置',
  libraryLocationHint: '新位置在下次启动 Lectern 时生效。',
  save: '保存',
  saved: '已保存',
  clearCache: '清除缓存',
  clearCacheHint: '删除所有阅读结果、摘要和回答；文档保留。',
  cacheCleared: '缓存已清除',
  working: '处理中…',
  error: '错误：{message}',
  documentPane: '文档',
  searchResultsFor: '与“{q}”相关的段落',
  loading: '加载中…',
  pageInput: '页码',
  readingFailed: '阅读中止：{message}',
};

const MESSAGES: Record<UiLanguage, Record<MessageKey, string>> = { en, zh };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: UiLanguage): Translate {
  return (key, vars) => MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars?.[k] ?? `{${k}}`));
}

const STORAGE_KEY = 'lectern.language';

export function initialLanguage(): UiLanguage {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh') return stored;
  return navigator.languages.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

export function rememberLanguage(lang: UiLanguage): void {
  localStorage.setItem(STORAGE_KEY, lang);
}

export const I18n = createContext<{ lang: UiLanguage; t: Translate }>({ lang: 'en', t: translator('en') });

export function useI18n(): { lang: UiLanguage; t: Translate } {
  return useContext(I18n);
}

/** 'zh' when a text is mostly Han characters among its letters, so it gets lang="zh". */
export function contentLanguage(text: string): 'zh' | 'en' {
  const sample = text.slice(0, 2000);
  const han = (sample.match(/\p{Script=Han}/gu) ?? []).length;
  const latin = (sample.match(/[A-Za-z]/g) ?? []).length;
  return han > 0 && han * 3 >= latin ? 'zh' : 'en';
}

export function formatDuration(ms: number, lang: UiLanguage): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return lang === 'zh' ? `${s} 秒` : `${s} s`;
  const m = Math.round(s / 60);
  return lang === 'zh' ? `${m} 分钟` : `${m} min`;
}
