#!/usr/bin/env bash
# Installs the Debian packages servicegraph and its tests use, non-interactively:
#   chromium, chromium-driver   browser tests of the pages and views; HTML -> PDF in the corpus
#   virtuoso-opensource         remote-store contract tests on a real Virtuoso
#   tesseract-ocr(-fas)         OCR of scanned cards (Persian model)
#   libreoffice-writer-nogui    .doc/.odt/.rtf cards converted to .docx; .docx -> PDF corpus
#   poppler-utils               pdftoppm/pdftotext, used by the corpus and reading checks
#   fonts-noto-core             Noto Naskh Arabic, one of the corpus's two Persian fonts
# Safe to run twice; does nothing when everything is present. Exits non-zero when an
# install fails: CI must not go on and skip the tests that need these.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v virtuoso-t >/dev/null || need+=(virtuoso-opensource)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/fas.traineddata ] || need+=(tesseract-ocr-fas)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
[ -e /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || need+=(fonts-noto-core)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
