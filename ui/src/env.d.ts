// Types the packages do not ship.
declare module "react-dom/profiling" {
  export * from "react-dom/client";
}
