namespace Micro.Devices.Cublas;

/// <summary>cublasStatus_t names (cublas_api.h), shared by cuBLAS and cuBLASLt, for when the library cannot name them itself.</summary>
public static class CublasStatus
{
    public const int Success = 0;
    public const int NotSupported = 15;

    public static string Name(int status) => status switch
    {
        0 => "CUBLAS_STATUS_SUCCESS",
        1 => "CUBLAS_STATUS_NOT_INITIALIZED",
        3 => "CUBLAS_STATUS_ALLOC_FAILED",
        7 => "CUBLAS_STATUS_INVALID_VALUE",
        8 => "CUBLAS_STATUS_ARCH_MISMATCH",
        11 => "CUBLAS_STATUS_MAPPING_ERROR",
        13 => "CUBLAS_STATUS_EXECUTION_FAILED",
        14 => "CUBLAS_STATUS_INTERNAL_ERROR",
        15 => "CUBLAS_STATUS_NOT_SUPPORTED",
        16 => "CUBLAS_STATUS_LICENSE_ERROR",
        _ => $"cublasStatus {status}",
    };
}
