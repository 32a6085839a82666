#!/usr/bin/env bash
# Regenerates the demo's English prompts (8 kHz, mono, 16-bit WAV) from the texts below with
# Debian's espeak-ng and sox. The WAVs are committed, so the product needs neither at run time.
#   apt-get install -y espeak-ng sox && bash scripts/make-prompts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=sounds/en
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS='|' read -r name text; do
  [ -z "$name" ] && continue
  espeak-ng -v en-us -s 150 -w "$tmp/$name.wav" "$text"
  sox "$tmp/$name.wav" -r 8000 -c 1 -b 16 "$out/$name.wav" norm -3
done <<'PROMPTS'
welcome|Welcome to the demo office.
main-menu|Press 1 for Alice, 2 for the lobby, or dial an extension.
invalid|That is not a valid choice.
timeout|We did not receive your choice.
enter-extension|Please enter the extension, followed by the pound key.
enter-pin|Please enter your PIN, followed by the pound key.
logged-in|You are now logged in.
logged-out|You are now logged out.
login-failed|The extension or PIN is not valid.
goodbye|Goodbye.
voicemail-greeting|The person you are calling is not available. Please leave a message after the tone.
voicemail-menu|Press 1 to play your messages, 7 to delete the message, 9 for the next message.
no-messages|You have no new messages.
saved-messages|Your saved messages.
greeting-menu|To record your greeting, press 5.
record-greeting|Record your greeting after the tone, then press the pound key.
greeting-saved|Your greeting is saved.
PROMPTS
ls -l "$out"
