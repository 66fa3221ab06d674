#!/usr/bin/env bash
# Best effort: make a CJK font available for bilingual figure labels (城口 next to Chengkou).
# Installs Debian/Ubuntu's fonts-wqy-microhei (1.6 MB) when running as root with apt-get.
# Never fails the build: without a CJK font the figures fall back to pinyin labels.
set -u
if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .; then
  exit 0  # a CJK font is already installed
fi
for f in /usr/share/fonts/truetype/wqy/wqy-microhei.ttc; do
  [ -f "$f" ] && exit 0
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing fonts-wqy-microhei for Chinese labels in figures (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1; then
    timeout 300 apt-get update -q >/dev/null 2>&1 || true
    apt-get install -y -q --no-install-recommends fonts-wqy-microhei >/dev/null 2>&1 \
      || echo "note: could not install fonts-wqy-microhei; figures will use pinyin labels"
  fi
else
  echo "note: no CJK font found; figures will use pinyin labels" \
       "(install fonts-wqy-microhei or Noto Sans CJK for Chinese names)"
fi
exit 0
