import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "react/jsx-no-target-blank": "error",
    },
  },
  { ignores: ["out/**", ".next/**", "node_modules/**", "src/api/schema.d.ts", "next-env.d.ts"] },
];

export default config;
