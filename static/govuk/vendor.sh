#!/usr/bin/env bash
# Re-vendor the compiled GOV.UK Frontend assets into this folder.
#
#   static/govuk/vendor.sh          # latest 6.x
#   static/govuk/vendor.sh 6.6.0    # an exact version
#
# Copies only the minified CSS/JS (with source maps) and dist/govuk/assets/,
# then rewrites the root-relative url(/assets/...) references in the CSS to
# url(assets/...) so that Django's ManifestStaticFilesStorage / WhiteNoise can
# resolve and hash them. Needs npm, tar and sed.
set -euo pipefail

spec="${1:-6}"
dest="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "govuk-frontend@${spec}" >/dev/null && tar -xzf govuk-frontend-*.tgz)
src="$work/package/dist/govuk"
version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$work/package/package.json")"
[ -n "$version" ] || { echo "could not read the package version" >&2; exit 1; }

rm -rf "$dest/assets"
cp "$src/govuk-frontend.min.css" "$src/govuk-frontend.min.css.map" \
   "$src/govuk-frontend.min.js" "$src/govuk-frontend.min.js.map" "$dest/"
cp -R "$src/assets" "$dest/assets"

# url(/assets/...), url("/assets/...") and url('/assets/...') -> relative to the CSS file.
# (The .map only mentions /assets inside sourcesContent, which nothing fetches.)
sed -i -E "s#url\((['\"]?)/assets/#url(\1assets/#g" "$dest/govuk-frontend.min.css"
if grep -Eq "url\(['\"]?/assets" "$dest/govuk-frontend.min.css"; then
  echo "root-relative /assets URLs remain in govuk-frontend.min.css" >&2
  exit 1
fi

# The npm tarball has shipped without a licence file; fall back to the
# upstream MIT licence text if that is still the case.
licence="$(find "$work/package" -maxdepth 1 -iname 'licen[cs]e*' | head -n 1)"
if [ -n "$licence" ]; then
  cp "$licence" "$dest/LICENSE.txt"
else
  cat > "$dest/LICENSE.txt" <<'LICENCE'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENCE
fi

printf '%s\n' "$version" > "$dest/VERSION"
echo "govuk-frontend $version vendored into $dest"
