namespace Direkt.Imaging;

/// <summary>An image problem a client caused. Messages are safe to show (no server paths).</summary>
public abstract class ImagingException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Not an image Direkt accepts (HTTP 415).</summary>
public sealed class UnsupportedImageException(string message, Exception? inner = null) : ImagingException(message, inner);

/// <summary>
/// An image format Direkt knows, which the loaded libvips cannot decode (HTTP 415 `missing-decoder`): the bundled libvips has
/// no HEVC or JPEG XL decoder; the message names the decoder and how to get it.
/// </summary>
public sealed class MissingDecoderException(string message) : ImagingException(message);

/// <summary>Over the pixel or frame limits (HTTP 413).</summary>
public sealed class ImageTooLargeException(string message) : ImagingException(message);

/// <summary>Starts like an image but does not decode: truncated or corrupt (HTTP 422).</summary>
public sealed class CorruptImageException(string message, Exception? inner = null) : ImagingException(message, inner);

/// <summary>An image that would cost far more to decode than its size suggests, e.g. a JPEG with thousands of scans (HTTP 422).</summary>
public sealed class ImageTooComplexException(string message) : ImagingException(message);

/// <summary>The variant asked for would be larger than `limits.max-output-dimension` or `limits.max-output-pixels` (HTTP 400).</summary>
public sealed class OutputTooLargeException(string message) : ImagingException(message);

/// <summary>A libvips operation refused the image inside a transformation step (HTTP 422): the image cannot take this transformation.</summary>
public sealed class UnprocessableImageException(string message, Exception? inner = null) : ImagingException(message, inner);
