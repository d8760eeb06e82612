// Spoken alarms (语音播报): each open alarm is read out in Chinese with the browser's speech
// synthesis, then again every `repeatMs` until it is acknowledged or resolved (`stop`). Browsers
// speak only after a user gesture, so `unlock()` runs in a click handler. Where no Chinese voice
// is installed, a tone stands in and `mode` says so, for the page to tell its users.

export type VoiceMode = 'off' | 'speech' | 'tone';

/** How often an alarm is spoken again, from `?voiceEvery=<seconds>` (default 60 s, at least 2 s). */
export function repeatFromUrl(search: string, fallbackMs = 60_000): number {
  const every = Number(new URLSearchParams(search).get('voiceEvery'));
  return Number.isFinite(every) && every >= 2 ? every * 1000 : fallbackMs;
}

/** The spoken text of an alarm, e.g. "瑞安市公安 签收超时". */
export function alarmSpeech(unitName: string, limitName: string): string {
  return `${unitName} ${limitName}超时`;
}

export class Announcer {
  mode: VoiceMode = 'off';
  private readonly active = new Map<string, { text: string; next: number }>();
  private timer = 0;
  private voice: SpeechSynthesisVoice | null = null;

  constructor(
    private readonly repeatMs: number,
    /** The stand-in when there is no Chinese voice (the console's beep). */
    private readonly tone: () => void,
    private readonly onMode: (mode: VoiceMode) => void = () => undefined,
  ) {}

  /** In a click handler: picks a Chinese voice, or falls back to the tone. */
  unlock(): void {
    const synth = typeof speechSynthesis === 'undefined' ? undefined : speechSynthesis;
    this.voice = synth ? chineseVoice(synth) : null;
    this.setMode(this.voice ? 'speech' : 'tone');
    // Voices often load after the first ask: look again when they do.
    synth?.addEventListener?.('voiceschanged', this.onVoices);
    if (synth && this.voice) synth.speak(this.utterance('语音播报已开启'));
  }

  private readonly onVoices = () => {
    const voice = chineseVoice(speechSynthesis);
    if (!voice) return;
    this.voice = voice;
    this.setMode('speech');
  };

  private setMode(mode: VoiceMode): void {
    this.mode = mode;
    this.onMode(mode);
  }

  /** A new alarm: say it now, and again every repeatMs until `stop(id)`. Saying it twice is once. */
  announce(id: string, text: string): void {
    if (this.active.has(id)) return;
    this.active.set(id, { text, next: Date.now() + this.repeatMs });
    this.say(text);
    this.schedule();
  }

  stop(id: string): void {
    this.active.delete(id);
    if (!this.active.size) {
      window.clearTimeout(this.timer);
      this.timer = 0;
    }
  }

  /** Keeps only these ids (a full list arrived); the others stop. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of [...this.active.keys()]) if (!ids.has(id)) this.stop(id);
  }

  get speaking(): string[] {
    return [...this.active.keys()];
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    if (!this.active.size) return;
    const next = Math.min(...[...this.active.values()].map((a) => a.next));
    this.timer = window.setTimeout(() => this.repeat(), Math.max(0, next - Date.now()));
  }

  private repeat(): void {
    const now = Date.now();
    for (const a of this.active.values()) {
      if (a.next > now) continue;
      this.say(a.text);
      a.next = now + this.repeatMs;
    }
    this.schedule();
  }

  private say(text: string): void {
    if (this.mode === 'off') return;
    if (this.mode === 'tone' || !this.voice) return this.tone();
    try {
      speechSynthesis.speak(this.utterance(text));
    } catch {
      this.tone();
    }
  }

  private utterance(text: string): SpeechSynthesisUtterance {
    const u = new SpeechSynthesisUtterance(text);
    u.lang = this.voice?.lang ?? 'zh-CN';
    try {
      if (this.voice) u.voice = this.voice;
    } catch {
      /* not a voice this browser made: the lang picks one */
    }
    u.rate = 0.95;
    return u;
  }

  close(): void {
    window.clearTimeout(this.timer);
    this.active.clear();
    if (typeof speechSynthesis !== 'undefined') {
      speechSynthesis.removeEventListener?.('voiceschanged', this.onVoices);
      speechSynthesis.cancel();
    }
  }
}

function chineseVoice(synth: SpeechSynthesis): SpeechSynthesisVoice | null {
  const voices = synth.getVoices();
  return voices.find((v) => /^zh[-_]CN/i.test(v.lang)) ?? voices.find((v) => /^(zh|cmn)/i.test(v.lang)) ?? null;
}
