namespace Direkt.Browser.Tests.CrossOrigin;

/// <summary>The web application's page: it uses the built JS client (ES modules from its own origin) against Direkt on another origin.</summary>
internal static class CrossOriginPage
{
    public const string Html = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Direkt client</title>
        <style>body { margin: 0 } img { display: block; width: 100vw }</style></head>
        <body>
        <script type="module">
        import { Direkt, decodeThumbhash, toDataUrl } from '/client/index.js';

        // Uploads the page's own image with an upload token from the back end, recording the progress events.
        window.uploadWithToken = async ({ base, token, path }) => {
          const direkt = new Direkt({ baseUrl: base });
          const file = await (await fetch('/photo.png')).blob();
          const progress = [];
          const info = await direkt.upload(path, file, {
            token, fileName: 'photo.png', metadata: { alt: 'Red and blue' },
            onProgress: ({ loaded, total }) => progress.push([loaded, total]),
          });
          return { info, progress, size: file.size };
        };

        // Reads info cross-origin, shows the ThumbHash placeholder, then the <picture> the client builds.
        window.showPicture = async ({ base, path, widths }) => {
          const direkt = new Direkt({ baseUrl: base });
          const info = await direkt.info(path);
          const lqip = info.variants[0].lqip;
          const placeholder = toDataUrl(decodeThumbhash(lqip.thumbhash));
          const shown = new Image();
          shown.src = placeholder;
          await shown.decode();
          const canvas = document.createElement('canvas');
          canvas.width = shown.naturalWidth;
          canvas.height = shown.naturalHeight;
          const context = canvas.getContext('2d');
          context.drawImage(shown, 0, 0);
          const middle = Math.floor(shown.naturalHeight / 2);
          const left = [...context.getImageData(1, middle, 1, 1).data];
          const right = [...context.getImageData(shown.naturalWidth - 2, middle, 1, 1).data];

          const p = await direkt.picture(path, { widths, sizes: '100vw', alt: info.alt });
          const picture = document.createElement('picture');
          for (const s of p.sources) {
            const source = document.createElement('source');
            Object.assign(source, { type: s.type, srcset: s.srcset, sizes: s.sizes });
            picture.append(source);
          }
          const img = document.createElement('img');
          img.style.backgroundImage = `url(${placeholder})`;
          Object.assign(img, { sizes: p.img.sizes, srcset: p.img.srcset, src: p.img.src, alt: p.img.alt });
          picture.append(img);
          const loaded = new Promise((done, fail) => { img.onload = done; img.onerror = () => fail(new Error('the picture did not load')); });
          document.body.append(picture);
          await loaded;

          const content = await fetch(await direkt.url(path, { w: 64 }));
          return {
            alt: info.alt, sources: p.sources.map((s) => s.type), currentSrc: img.currentSrc, naturalWidth: img.naturalWidth,
            placeholder: [shown.naturalWidth, shown.naturalHeight], left, right, blurhash: lqip.blurhash,
            blurhashHeader: content.headers.get('Direkt-LQIP-Blurhash'), etag: content.headers.get('ETag'),
          };
        };
        window.ready = true;
        </script>
        </body></html>
        """;
}
