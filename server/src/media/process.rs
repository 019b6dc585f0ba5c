//! Turning an uploaded file into the library's variants: the real type is
//! read from the bytes (JPEG, PNG, WebP or GIF; anything else, an SVG or a
//! renamed program, is refused), the pixel count is checked from the header
//! before anything is decoded (decompression bombs), the EXIF orientation is
//! applied, and each variant is encoded afresh, so no metadata (GPS, camera,
//! author) survives. Blocking work: run it off the async threads.

use std::io::Cursor;

use app::model::media::VARIANT_WIDTHS;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The most pixels a photo may have (50 megapixels: any camera's photo,
/// not a decompression bomb).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The most memory a decoder may take, in bytes.
const MAX_DECODER_BYTES: u64 = 512 * 1024 * 1024;
/// JPEG quality of the fallback variants (0–100).
pub const JPEG_QUALITY: u8 = 82;
/// WebP quality of the main variants (0–100, lossy).
pub const WEBP_QUALITY: f32 = 75.0;

/// Why a file is not taken, in words for the person who sent it.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Tệp trống.")]
    Empty,
    #[error("Tệp này không phải là ảnh JPEG, PNG, WebP hoặc GIF, nên không được nhận.")]
    NotAPhoto,
    #[error("Ảnh quá lớn ({width} × {height} điểm ảnh); tối đa 50 triệu điểm ảnh.")]
    TooManyPixels { width: u32, height: u32 },
    #[error(
        "Ảnh bị hỏng hoặc chưa tải lên hết, không đọc được. Xin vui lòng thử lại với tệp khác."
    )]
    Damaged,
}

/// One encoded variant.
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// `webp` or `jpg`.
    pub extension: &'static str,
    pub bytes: Vec<u8>,
}

/// What an upload became.
pub struct Processed {
    /// The largest variant's size.
    pub width: u32,
    pub height: u32,
    pub widths: Vec<u32>,
    pub variants: Vec<Variant>,
}

/// The widths to make for a photo `width` pixels wide: the standard ones
/// narrower than it, and its own width when it is narrower than the widest.
pub fn widths_for(width: u32) -> Vec<u32> {
    let widest = VARIANT_WIDTHS[VARIANT_WIDTHS.len() - 1];
    let mut widths: Vec<u32> = VARIANT_WIDTHS
        .iter()
        .copied()
        .filter(|w| *w < width)
        .collect();
    if width <= widest {
        widths.push(width);
    } else {
        widths.push(widest);
    }
    widths.dedup();
    widths
}

/// Reads, checks and resizes `bytes` into the library's variants.
///
/// # Errors
/// A [`Refusal`] saying what is wrong with the file.
pub fn process(bytes: &[u8]) -> Result<Processed, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    let format = image::guess_format(bytes).map_err(|_| Refusal::NotAPhoto)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(Refusal::NotAPhoto);
    }
    if !looks_complete(format, bytes) {
        return Err(Refusal::Damaged);
    }
    let reader = || {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        let mut limits = Limits::default();
        limits.max_alloc = Some(MAX_DECODER_BYTES);
        reader.limits(limits);
        reader
    };
    let (width, height) = reader().into_dimensions().map_err(|_| Refusal::Damaged)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Refusal::TooManyPixels { width, height });
    }
    if width == 0 || height == 0 {
        return Err(Refusal::Damaged);
    }
    let mut decoder = reader().into_decoder().map_err(|_| Refusal::Damaged)?;
    let orientation = decoder.orientation().map_err(|_| Refusal::Damaged)?;
    let mut photo = DynamicImage::from_decoder(decoder).map_err(|_| Refusal::Damaged)?;
    photo.apply_orientation(orientation);
    let widths = widths_for(photo.width());
    let mut variants = Vec::with_capacity(widths.len() * 2);
    for &w in &widths {
        let sized = if w < photo.width() {
            photo.resize(w, u32::MAX, FilterType::CatmullRom)
        } else {
            photo.clone()
        };
        variants.push(webp_of(&sized));
        variants.push(jpeg_of(&sized)?);
    }
    let largest = variants
        .iter()
        .max_by_key(|v| v.width)
        .map(|v| (v.width, v.height))
        .unwrap_or((0, 0));
    Ok(Processed {
        width: largest.0,
        height: largest.1,
        widths,
        variants,
    })
}

/// Whether the file carries its format's end: decoders forgive a missing
/// end (a JPEG cut in half decodes, grey below the cut), but an upload cut
/// short must not become a photo.
fn looks_complete(format: ImageFormat, bytes: &[u8]) -> bool {
    let last = |pattern: &[u8]| bytes.windows(pattern.len()).rposition(|w| w == pattern);
    match format {
        // End of image after the (last) start of scan.
        ImageFormat::Jpeg => match (last(&[0xFF, 0xDA]), last(&[0xFF, 0xD9])) {
            (Some(scan), Some(end)) => end > scan,
            _ => false,
        },
        ImageFormat::Png => last(b"IEND").is_some(),
        ImageFormat::Gif => bytes.last() == Some(&0x3B),
        // RIFF's own length: the file is at least as long as it says.
        ImageFormat::WebP => bytes
            .get(4..8)
            .map(|n| u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize + 8)
            .is_some_and(|declared| bytes.len() >= declared),
        _ => false,
    }
}

fn webp_of(photo: &DynamicImage) -> Variant {
    let (width, height) = (photo.width(), photo.height());
    let bytes = if photo.color().has_alpha() {
        let rgba = photo.to_rgba8();
        webp::Encoder::from_rgba(&rgba, width, height)
            .encode(WEBP_QUALITY)
            .to_vec()
    } else {
        let rgb = photo.to_rgb8();
        webp::Encoder::from_rgb(&rgb, width, height)
            .encode(WEBP_QUALITY)
            .to_vec()
    };
    Variant {
        width,
        height,
        extension: "webp",
        bytes,
    }
}

/// JPEG has no transparency: transparent parts become white.
fn jpeg_of(photo: &DynamicImage) -> Result<Variant, Refusal> {
    let rgb = if photo.color().has_alpha() {
        let mut rgba = photo.to_rgba8();
        for pixel in rgba.pixels_mut() {
            let alpha = u16::from(pixel[3]);
            for channel in 0..3 {
                let value = u16::from(pixel[channel]);
                pixel[channel] = ((value * alpha + 255 * (255 - alpha)) / 255) as u8;
            }
        }
        DynamicImage::ImageRgba8(rgba).to_rgb8()
    } else {
        photo.to_rgb8()
    };
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|_| Refusal::Damaged)?;
    Ok(Variant {
        width: rgb.width(),
        height: rgb.height(),
        extension: "jpg",
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::widths_for;

    #[test]
    fn variants_never_upscale() {
        assert_eq!(widths_for(4000), [480, 960, 1600]);
        assert_eq!(widths_for(1600), [480, 960, 1600]);
        assert_eq!(widths_for(1200), [480, 960, 1200]);
        assert_eq!(widths_for(300), [300]);
        assert_eq!(widths_for(480), [480]);
    }
}
