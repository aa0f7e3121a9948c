#include "keyattest/report/text_layout.h"

#include <algorithm>

namespace keyattest {

namespace {

constexpr const char* kReset = "\033[0m";

/// Byte offset after the first `columns` characters of `text`.
std::size_t PrefixBytes(std::string_view text, std::size_t columns) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
      if (seen == columns) break;
      ++seen;
    }
  }
  return i;
}

/// Column widths for a 3-column grid within `width` (0: natural widths).
/// The name column keeps its width; the value gets what the meaning (at
/// least 22 columns) leaves; the meaning gets the rest.
std::array<std::size_t, 3> FitColumns(std::array<std::size_t, 3> natural, std::size_t width) {
  constexpr std::size_t kBorders = 10;  // "| " + " | " + " | " + " |"
  constexpr std::size_t kMinColumn = 8;
  if (width == 0 || natural[0] + natural[1] + natural[2] + kBorders <= width) return natural;
  const std::size_t budget = width > kBorders + 3 * kMinColumn ? width - kBorders : 3 * kMinColumn;
  std::array<std::size_t, 3> fit = natural;
  fit[0] = std::min(natural[0], budget / 2);
  const std::size_t rest = budget - fit[0];
  const std::size_t meaning_min = std::min({natural[2], std::size_t{22}, rest / 2});
  fit[1] = std::max(kMinColumn, std::min(natural[1], rest - meaning_min));
  fit[2] = std::max(kMinColumn, std::min(natural[2], rest - std::min(rest, fit[1])));
  return fit;
}

}  // namespace

std::string Paint(const std::string& text, const char* code, bool color) {
  return color ? std::string(code) + text + kReset : text;
}

std::size_t DisplayWidth(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0U) == 0x80U ? 0 : 1;
  return n;
}

std::string PadRight(const std::string& text, std::size_t width) {
  const std::size_t w = DisplayWidth(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

std::string Grid(const std::vector<std::array<std::string, 3>>& rows, std::size_t width) {
  std::array<std::size_t, 3> natural{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < 3; ++i) natural[i] = std::max(natural[i], DisplayWidth(row[i]));
  }
  const std::array<std::size_t, 3> w = FitColumns(natural, width);
  std::string rule = "+";
  for (std::size_t c : w) rule += std::string(c + 2, '-') + "+";
  std::string out = rule + "\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::array<std::vector<std::string>, 3> cells;
    std::size_t lines = 1;
    for (std::size_t i = 0; i < 3; ++i) {
      cells[i] = w[i] < natural[i] ? WrapWords(rows[r][i], w[i]) : std::vector<std::string>{rows[r][i]};
      lines = std::max(lines, cells[i].size());
    }
    for (std::size_t line = 0; line < lines; ++line) {
      out += "|";
      for (std::size_t i = 0; i < 3; ++i) {
        out += " " + PadRight(line < cells[i].size() ? cells[i][line] : "", w[i]) + " |";
      }
      out += "\n";
    }
    if (r == 0) {
      std::string header_rule = rule;
      std::replace(header_rule.begin(), header_rule.end(), '-', '=');
      out += header_rule + "\n";
    }
  }
  return out + rule + "\n";
}

std::vector<std::string> WrapWords(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_width = 0;
  auto flush = [&] {
    lines.push_back(line);
    line.clear();
    line_width = 0;
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty() && end < text.size()) continue;  // runs of spaces
    std::size_t word_width = DisplayWidth(word);
    if (width != 0 && line_width > 0 && line_width + 1 + word_width > width) flush();
    while (width != 0 && word_width > width) {
      // Too long for any line: break after a '/' or '-' in the second half
      // of what fits, else at the width.
      std::size_t cut = PrefixBytes(word, width);
      const std::size_t soft = word.substr(0, cut).find_last_of("/-");
      if (soft != std::string_view::npos && DisplayWidth(word.substr(0, soft + 1)) > width / 2) cut = soft + 1;
      if (line_width > 0) flush();
      line = std::string(word.substr(0, cut));
      flush();
      word = word.substr(cut);
      word_width = DisplayWidth(word);
    }
    if (word.empty()) continue;
    if (line_width > 0) {
      line += ' ';
      ++line_width;
    }
    line += word;
    line_width += word_width;
  }
  if (line_width > 0 || lines.empty()) lines.push_back(line);
  return lines;
}

std::string WrapWithHangingIndent(const std::string& first_prefix, std::string_view text, std::size_t width) {
  const std::size_t indent = DisplayWidth(first_prefix);
  const std::size_t room = width == 0 ? 0 : width > indent + 8 ? width - indent : 8;
  const std::vector<std::string> lines = WrapWords(text, room);
  std::string out = first_prefix + lines.front() + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) out += std::string(indent, ' ') + lines[i] + "\n";
  return out;
}

}  // namespace keyattest
