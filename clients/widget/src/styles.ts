/**
 * The widget's styles, inside its shadow root so the theme cannot break them (nor they the theme).
 * Layout uses logical properties so right-to-left languages mirror; motion only when the shopper
 * has not asked for less.
 */
export const CSS = `
:host{all:initial}
*,*::before,*::after{box-sizing:border-box}
.w{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--text)}
.sr{position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
[hidden]{display:none!important}
button,input,select{font:inherit;color:inherit}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.launcher{position:fixed;bottom:20px;z-index:2147483000;display:inline-flex;align-items:center;gap:8px;padding:12px 18px;border:0;border-radius:999px;background:var(--primary);color:var(--on-primary);font-weight:600;font-size:15px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher:focus-visible{outline-color:var(--primary);outline-offset:3px}
.launcher svg{inline-size:20px;block-size:20px}
.right{right:20px}.left{left:20px}
.panel{position:fixed;bottom:84px;z-index:2147483001;inline-size:min(380px,calc(100vw - 24px));max-block-size:min(660px,calc(100vh - 108px));display:flex;flex-direction:column;background:var(--bg);color:var(--text);border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.3);overflow:hidden}
.panel.right{right:16px}.panel.left{left:16px}
.head{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;padding-inline:16px 12px;background:var(--primary);color:var(--on-primary)}
.head h2{flex:1;margin:0;font-size:17px;line-height:1.3}
.head select{background:var(--primary);color:var(--on-primary);border:1px solid currentColor;border-radius:6px;padding:4px 6px;max-inline-size:130px}
.head :focus-visible{outline-color:var(--on-primary)}
.x{display:inline-flex;align-items:center;justify-content:center;inline-size:36px;block-size:36px;border:0;border-radius:8px;background:transparent;color:var(--on-primary);cursor:pointer}
.x svg{inline-size:22px;block-size:22px}
.status{margin:12px 16px 0;padding:10px 12px;border:2px solid var(--text);border-radius:8px;display:flex;gap:10px;align-items:center;justify-content:space-between}
.body{overflow:auto;padding:4px 16px 16px;overscroll-behavior:contain}
section{padding-block:14px;border-block-start:1px solid color-mix(in srgb,var(--text) 22%,transparent)}
section:first-child{border-block-start:0}
h3{margin:0 0 8px;font-size:15px}
p{margin:0 0 8px}
ul{list-style:none;margin:0;padding:0}
.item{display:flex;justify-content:space-between;align-items:center;gap:12px;padding-block:8px}
.item+.item{border-block-start:1px solid color-mix(in srgb,var(--text) 14%,transparent)}
.grow{flex:1;min-inline-size:0}
.small{font-size:13px}
.strong{font-weight:700}
.balance{font-size:30px;font-weight:700;line-height:1.2}
.row{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:6px;padding:8px 14px;border:2px solid var(--primary);border-radius:8px;background:var(--primary);color:var(--on-primary);font-weight:600;cursor:pointer;text-decoration:none;white-space:nowrap}
.btn.alt{background:transparent;color:var(--text);border-color:var(--text)}
.btn:disabled{opacity:.55;cursor:not-allowed}
.code{display:inline-block;margin-block:4px;font:600 16px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.04em;padding:6px 10px;border:1px dashed var(--text);border-radius:6px;direction:ltr;unicode-bidi:isolate;overflow-wrap:anywhere}
.result{padding:12px;border:2px solid var(--accent);border-radius:10px;margin-block-end:12px}
.field{inline-size:100%;padding:8px 10px;border:1px solid var(--text);border-radius:6px;background:var(--bg);color:var(--text)}
.ltr{direction:ltr;unicode-bidi:isolate}
.bar{block-size:10px;border-radius:5px;background:color-mix(in srgb,var(--text) 15%,transparent);overflow:hidden;margin-block:6px}
.bar>span{display:block;block-size:100%;background:var(--accent)}
.ladder{list-style:none;padding:0;margin-block:8px 0}
.perks{margin-block-start:8px}
.ladder li+li::before{content:'›';margin-inline-end:8px}
.panel[dir=rtl] .ladder li+li::before{content:'‹'}
.badges{display:grid;grid-template-columns:repeat(auto-fill,minmax(96px,1fr));gap:10px}
.badge{text-align:center;font-size:13px}
.badge img{inline-size:48px;block-size:48px;object-fit:contain;display:block;margin-inline:auto}
.toasts{position:fixed;bottom:84px;z-index:2147483002;display:flex;flex-direction:column;gap:8px;max-inline-size:min(360px,calc(100vw - 32px))}
.toasts.up{bottom:auto;top:16px}
.toast{display:flex;align-items:center;gap:10px;padding:12px 12px 12px 16px;padding-inline:16px 8px;border-radius:10px;background:var(--primary);color:var(--on-primary);box-shadow:0 6px 20px rgba(0,0,0,.25);font-weight:600}
.toast .x{inline-size:30px;block-size:30px}
.toast :focus-visible{outline-color:var(--on-primary)}
.nudge{padding:10px 12px;border-inline-start:4px solid var(--accent);margin-block:8px;border-radius:4px}
@media (prefers-reduced-motion:no-preference){.panel{animation:in .18s ease-out}.toast{animation:in .2s ease-out}.bar>span{transition:inline-size .4s ease}}
@keyframes in{from{opacity:0;transform:translateY(10px)}}
@media (max-width:480px){.panel.right,.panel.left{left:8px;right:8px;inline-size:auto;bottom:80px}}
`;
