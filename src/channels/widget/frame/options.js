// @ts-check
/* The chat frame's options, read from its URL query (the loader passes the portal's data-…
 * attributes on): each is length-checked and falls back to the default. */
import { isHexColour } from '../../../lib/browser/colour.js';

export const DEFAULTS = Object.freeze({
  title: 'Trợ lý Công vụ',
  greeting:
    'Xin chào! Tôi có thể giúp bạn tra cứu thủ tục hành chính: hồ sơ, lệ phí, thời hạn giải quyết, nơi nộp…',
  color: '#0b5cad',
  suggestions: [
    'Lệ phí đăng ký khai sinh bao nhiêu?',
    'Làm căn cước cần giấy tờ gì?',
    'Đăng ký kết hôn nộp ở đâu?',
  ],
});

/** @typedef {{ title: string, greeting: string, color: string, suggestions: string[] }} FrameOptions */

/**
 * The options in `search` (a URL query such as `location.search`).
 * @param {string} search
 * @returns {FrameOptions}
 */
export function readOptions(search) {
  const query = new URLSearchParams(search);
  /** The trimmed value of `name`, or "" when absent or longer than `max` characters. @param {string} name @param {number} max */
  const opt = (name, max) => {
    const v = (query.get(name) ?? '').trim();
    return v && v.length <= max ? v : '';
  };
  const color = opt('color', 7);
  const suggestions = opt('suggestions', 1000)
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s && s.length <= 200)
    .slice(0, 5);
  return {
    title: opt('title', 80) || DEFAULTS.title,
    greeting: opt('greeting', 500) || DEFAULTS.greeting,
    color: isHexColour(color) ? color : DEFAULTS.color,
    suggestions: suggestions.length > 0 ? suggestions : [...DEFAULTS.suggestions],
  };
}
