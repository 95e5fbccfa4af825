// sharp's output for the quality comparison: width-bounded resize (never enlarging) at the given quality, sharp's defaults
// otherwise.  node sharp-resize.mjs WIDTH QUALITY FORMAT IN OUT [IN OUT …]
import sharp from "sharp";

const [width, quality, format, ...files] = process.argv.slice(2);
for (let i = 0; i < files.length; i += 2) {
  await sharp(files[i])
    .resize({ width: Number(width), withoutEnlargement: true })
    .toFormat(format, { quality: Number(quality) })
    .toFile(files[i + 1]);
}
