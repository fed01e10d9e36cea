namespace Platform.Host.Infrastructure;

/// <summary>RFC 9457 problem details whose <c>detail</c> says what to fix.</summary>
public static class Problems
{
    public static IResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: 404, title: "Not found");
    public static IResult Unauthorized(string detail) => TypedResults.Problem(detail, statusCode: 401, title: "Unauthorized");
    public static IResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: 403, title: "Forbidden");
    public static IResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: 409, title: "Conflict");

    /// <summary>400 listing every invalid field by name.</summary>
    public static IResult Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(
        errors,
        detail: "Fix these fields: " + string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")),
        title: "Invalid request");
}
