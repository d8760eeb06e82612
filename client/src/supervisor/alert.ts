// Sound and desktop notifications of the console. Browsers play audio only after a user
// gesture on the page, so `unlock()` must run in a click handler; it also asks for the
// Notification permission. Everything fails quietly: a popup still shows without either.

type AudioCtor = typeof AudioContext;

export class Alerter {
  private ctx: AudioContext | null = null;

  get unlocked(): boolean {
    return this.ctx !== null && this.ctx.state === 'running';
  }

  get notificationPermission(): NotificationPermission | 'unsupported' {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  }

  /** In a click handler: starts the audio context with a short beep and asks for notifications. */
  async unlock(): Promise<{ audio: boolean; notification: NotificationPermission | 'unsupported' }> {
    let audio = false;
    try {
      const Ctor = (window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioCtor }).webkitAudioContext) as AudioCtor | undefined;
      if (Ctor) {
        this.ctx ??= new Ctor();
        // Not awaited before the beep: resume() may wait for an audio device that never answers.
        const resumed = this.ctx.resume();
        this.beep(1);
        await Promise.race([resumed, new Promise((r) => setTimeout(r, 500))]);
        audio = this.ctx.state === 'running';
      }
    } catch {
      audio = false;
    }
    let notification: NotificationPermission | 'unsupported' = this.notificationPermission;
    try {
      if (notification === 'default') notification = await Notification.requestPermission();
    } catch {
      /* older browsers or an insecure origin */
    }
    return { audio, notification };
  }

  /** A two-tone alarm beep (`times` pairs); nothing before unlock. */
  beep(times = 2): void {
    const ctx = this.ctx;
    if (!ctx) return;
    try {
      const start = ctx.currentTime + 0.02;
      for (let i = 0; i < times * 2; i++) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        const t = start + i * 0.2;
        osc.type = 'square';
        osc.frequency.value = i % 2 === 0 ? 880 : 660;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.18, t + 0.01);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.17);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t);
        osc.stop(t + 0.18);
      }
    } catch {
      /* no audio device */
    }
  }

  /** A desktop notification, where permitted; clicking it brings the console forward. */
  notify(title: string, body: string, tag: string): void {
    if (this.notificationPermission !== 'granted') return;
    try {
      const n = new Notification(title, { body, tag, requireInteraction: true });
      n.onclick = () => {
        window.focus();
        n.close();
      };
    } catch {
      /* e.g. Android Chrome wants a service worker for notifications */
    }
  }

  close(): void {
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }
}
